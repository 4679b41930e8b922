// Undo instead of loss: a delete (a set, an exercise with its sets, the workout) leaves the
// screen at once but waits UNDO_MS before its events go into the outbox (deletes are final in
// the event log), with an "Undo" in the meantime. Held deletes are written to localStorage as
// they start: a page left before the window closed sends them on the next load.
import * as outbox from "./outbox.js";
import { $ } from "./status.js";
import { staleCards } from "./cards.js";

export const UNDO_MS = 6000;
const HELD_KEY = "held-deletes";
let held = [];

const persist = () => localStorage.setItem(HELD_KEY, JSON.stringify(held.map((e) => e.events)));

function toast() {
  const box = $("#undo");
  if (!box) return;
  const last = held[held.length - 1];
  box.hidden = !last;
  if (last) $("[data-undo-text]", box).textContent = last.text;
}

async function commit(entry) {
  if (!held.includes(entry)) return;
  clearTimeout(entry.timer);
  held = held.filter((e) => e !== entry);
  persist();
  toast();
  for (const [type, payload] of entry.events) await outbox.enqueue(type, payload);
  if (entry.after) entry.after();
}

// Take `node` off the screen and hold `events`; `hide` takes it off again after a refresh drew it.
export function hold(text, events, node, { hide = () => {}, after = null } = {}) {
  const mark = document.createComment("held");
  node.replaceWith(mark);
  const entry = { text, events, hide, after, mark, node };
  entry.timer = setTimeout(() => commit(entry), UNDO_MS);
  held.push(entry);
  persist();
  toast();
  return entry;
}

export function undoLast() {
  const entry = held.pop();
  if (!entry) return null;
  clearTimeout(entry.timer);
  persist();
  toast();
  if (entry.mark.isConnected) entry.mark.replaceWith(entry.node);
  else staleCards();
  return entry.node;
}

export const commitAll = () => Promise.all(held.slice().map(commit));
export const hideHeld = () => held.forEach((e) => e.hide());

// Deletes held by a page that was left before their window closed go now.
let left = [];
try { left = JSON.parse(localStorage.getItem(HELD_KEY) || "[]"); } catch { left = []; }
localStorage.removeItem(HELD_KEY);
(async () => {
  for (const events of left) for (const [type, payload] of events) await outbox.enqueue(type, payload);
})();
