// The rest timer: one bar above the tab bar (−15 s, +15 s, Skip), surviving a reload; at the end
// a tone, a vibration, and a notification when the page is hidden. Notifications are asked for
// only when the lifter taps the bell (shown while the browser has not been asked yet).
// And the workout clock (#elapsed).
import { $ } from "./status.js";
import { workoutId } from "./cards.js";

// The time since the start (to the end once finished), every second.
function tickElapsed() {
  const el = $("#elapsed");
  if (!el || !el.dataset.start) return;
  const end = el.dataset.end ? Date.parse(el.dataset.end) : Date.now();
  const s = Math.max(0, Math.floor((end - Date.parse(el.dataset.start)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  el.textContent = `${h ? `${h}:${String(m).padStart(2, "0")}` : m}:${String(s % 60).padStart(2, "0")}`;
}
export function runClock() {
  tickElapsed();
  setInterval(tickElapsed, 1000);
}

let restTick = null;
let audio = null;

function tone() {
  if (!audio) return;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.frequency.value = 880;
  gain.gain.value = 0.2;
  osc.connect(gain).connect(audio.destination);
  osc.start();
  osc.stop(audio.currentTime + 0.35);
}

// Called from the tap that logged the set: the audio context may start only on a gesture.
export function startRest(seconds) {
  if (!seconds) return;
  try { audio = audio || new AudioContext(); } catch { audio = null; }
  localStorage.setItem("rest-timer", JSON.stringify({ end: Date.now() + seconds * 1000, workout: workoutId }));
  runRest();
}

export function stopRest() {
  localStorage.removeItem("rest-timer");
  clearInterval(restTick);
  const bar = $("#rest-timer");
  if (bar) bar.hidden = true;
}

export function runRest() {
  const bar = $("#rest-timer");
  if (!bar) return;
  clearInterval(restTick);
  const bell = $("[data-action=notify]", bar);
  if (bell) bell.hidden = !("Notification" in window) || Notification.permission !== "default";
  const tick = () => {
    const state = JSON.parse(localStorage.getItem("rest-timer") || "null");
    if (!state) return stopRest();
    const left = Math.round((state.end - Date.now()) / 1000);
    if (left <= 0) {
      stopRest();
      tone();
      if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
      if ("Notification" in window && Notification.permission === "granted" && document.hidden) new Notification("Rest over: next set!");
      return;
    }
    bar.hidden = false;
    $("[data-rest-left]", bar).textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  };
  tick();
  restTick = setInterval(tick, 250);
}

document.addEventListener("click", (event) => {
  const target = event.target.closest && event.target.closest("#rest-timer button");
  if (!target) return;
  if (target.matches("[data-action=notify]")) {
    Notification.requestPermission().catch(() => {}).finally(() => { target.hidden = Notification.permission !== "default"; });
    return;
  }
  const state = JSON.parse(localStorage.getItem("rest-timer") || "null");
  if (!state || target.dataset.rest === "skip") return stopRest();
  state.end += Number(target.dataset.rest) * 1000;
  localStorage.setItem("rest-timer", JSON.stringify(state));
  runRest();
});
