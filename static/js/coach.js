// The coach's chat: send the question with fetch and show the answer as it streams in
// (ReadableStream). Without JavaScript the form posts normally and the page comes back with
// the whole answer. No inline script: this module is loaded by the chat page.

const form = document.getElementById("ask-form");
const conversation = document.getElementById("conversation");

function exchange(question) {
  conversation.querySelector("[data-empty]")?.remove();
  const box = document.createElement("div");
  box.className = "exchange latest streaming";
  const q = document.createElement("p");
  q.className = "q";
  q.textContent = question;
  const a = document.createElement("p");
  a.className = "a";
  a.setAttribute("aria-busy", "true");
  box.append(q, a);
  conversation.querySelectorAll(".exchange.latest").forEach((el) => el.classList.remove("latest"));
  conversation.append(box);
  box.scrollIntoView({ block: "end", behavior: "smooth" });
  return a;
}

async function ask(event) {
  event.preventDefault();
  const data = new FormData(form, event.submitter);
  const question = (data.get("suggestion") || data.get("question") || "").toString().trim();
  const error = form.querySelector("[data-ask-error]");
  error.hidden = true;
  if (!question) {
    error.textContent = "Type a question or pick one of the suggestions.";
    error.hidden = false;
    return;
  }
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => (b.disabled = true));
  const answer = exchange(question);
  try {
    const response = await fetch(form.action, { method: "POST", body: data, headers: { "X-Coach-Stream": "1" }, credentials: "same-origin" });
    if (response.redirected) { // not logged in: the log-in page
      window.location.assign(response.url);
      return;
    }
    if (!response.ok || !response.body) {
      throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      answer.textContent += value;
    }
    form.querySelector("#coach-question").value = "";
  } catch (err) {
    // The server said no (an expired page's CSRF token: 403): the connection is fine, a reload is
    // what helps. A connection lost mid-answer keeps what already arrived.
    const why = err.status
      ? `The coach couldn't answer (error ${err.status}). Reload the page and try again.`
      : "The answer couldn't be loaded. Check your connection and try again.";
    if (answer.textContent) {
      answer.append(document.createElement("br"), document.createElement("br"), `(${why})`);
    } else {
      answer.textContent = why;
      answer.classList.add("form-error");
    }
  } finally {
    answer.removeAttribute("aria-busy");
    answer.parentElement.classList.remove("streaming");
    buttons.forEach((b) => (b.disabled = false));
  }
}

if (form && conversation && window.fetch && window.TextDecoderStream) form.addEventListener("submit", ask);
