// Settings: the height is typed in the unit shown beside it (the hidden height_unit says which,
// events/forms.py). Switching the length unit converts the height already there and relabels
// it, so "in" and then "70" means 70 inches instead of "Height must be between 100 and 250 cm".
// Without JavaScript the page still works: the label names the unit the server expects.
const CM_PER_INCH = 2.54;

const form = document.querySelector("form.profile-form");
const height = form && form.querySelector("input[name=height]");
const shown = form && form.querySelector("input[name=height_unit]");
const label = form && form.querySelector("[data-height-label]");

function switchTo(unit) {
  const from = shown.value || "cm";
  if (unit === from) return;
  const value = Number.parseFloat(height.value.replace(",", "."));
  if (Number.isFinite(value)) {
    const converted = unit === "in" ? value / CM_PER_INCH : value * CM_PER_INCH;
    height.value = String(Math.round(converted * 10) / 10);
  }
  const [min, max] = (height.dataset[`bounds${unit === "in" ? "In" : "Cm"}`] || "").split(" ");
  if (min && max) {
    height.min = min;
    height.max = max;
  }
  shown.value = unit;
  label.textContent = `Height (${unit})`;
}

if (height && shown && label) {
  for (const radio of form.querySelectorAll("input[name=length_unit]")) {
    radio.addEventListener("change", () => {
      if (radio.checked) switchTo(radio.value);
    });
  }
  form.dataset.heightReady = "true";  // for tests: the listeners are on
}

// A lifter with no time zone yet: pre-select this browser's and say it was guessed (saving
// keeps it). The server's choices are the IANA names, as Intl reports them.
const zone = form && form.querySelector("select[name=time_zone][data-guess]");
if (zone) {
  let guess = "";
  try {
    guess = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    guess = "";
  }
  if (guess && [...zone.options].some((option) => option.value === guess)) {
    zone.value = guess;
    const help = document.getElementById(`${zone.id}_helptext`);
    if (help) help.textContent = `Guessed from this browser: ${guess}. Save the profile to keep it.`;
    zone.dataset.guessed = guess;
  }
}
