// The log-out page: changes still in this browser's outbox are sent before the session ends.
// Logging out signs this browser's device out of the account (events/adapters.py), so anything
// left in the outbox afterwards would sync to a new guest instead: say how many, try to send
// them when the user confirms, and if they still cannot go, let the user stay logged in or
// log out anyway knowing where they will end up. The pages kept for offline use go too.
import * as outbox from "./outbox.js";

const root = document.querySelector("[data-logout]");

const plural = (n) => `${n} change${n === 1 ? "" : "s"}`;

// Changes not on the server yet: waiting to be sent, or refused by it (they would be re-sent
// under the next device too).
async function unsynced() {
  const { waiting, failed } = await outbox.counts();
  return { waiting, failed: failed.length, total: waiting + failed.length };
}

// The pages the service worker keeps for offline use (history, workouts, measurements…) are
// this account's: they go with the session, so nobody opening this browser offline afterwards
// reads them. The workout shell and the offline page stay (they hold no history).
async function forgetPages() {
  try {
    if (!("caches" in window)) return;
    for (const key of await caches.keys()) {
      if (key.startsWith("hypertrophy-pages-")) await caches.delete(key);
    }
  } catch (err) {
    // no Cache Storage here (private browsing): nothing was kept
  }
}

function show(selector, visible) {
  const el = root.querySelector(selector);
  if (el) el.hidden = !visible;
}

function say(text) {
  root.querySelector("[data-logout-status]").textContent = text;
}

async function describe() {
  const { waiting, failed, total } = await unsynced();
  root.dataset.unsynced = String(total);
  if (!total) {
    say("Everything on this device is saved to your account.");
  } else if (failed && !waiting) {
    const [was, is] = failed === 1 ? ["was", "is"] : ["were", "are"];
    say(`${plural(failed)} on this device ${was} refused by the server and ${is} not in your account.`);
  } else {
    const verb = total === 1 ? "is" : "are";
    const they = total === 1 ? "It" : "They";
    say(`${plural(total)} on this device ${verb} not synced yet. ${they} will be sent before you log out.`);
  }
  return total;
}

async function confirm(event) {
  const form = event.currentTarget;
  if (form.dataset.anyway === "true") return;  // "Log out anyway": let it through
  event.preventDefault();
  const button = form.querySelector("[type=submit]");
  button.disabled = true;
  say("Sending your changes…");
  try {
    if ((await unsynced()).waiting) await outbox.flush();
  } catch (err) {
    // counted below: whatever did not go is still in the outbox
  }
  const { waiting, total } = await unsynced();
  root.dataset.unsynced = String(total);
  if (!total) {
    root.dataset.state = "synced";
    await forgetPages();
    form.submit();
    return;
  }
  button.disabled = false;
  root.dataset.state = "stranded";
  say(`${plural(total)} could not be sent to your account.`);
  root.querySelector("[data-logout-count]").textContent = plural(total);
  if (!waiting) {  // only refused ones: the network is fine, the server said no
    const reason = "because the server refused them (the workout page says why)";
    root.querySelector("[data-logout-reason]").textContent = reason;
  }
  show("[data-logout-form]", false);
  show("[data-logout-stranded]", true);
}

async function anyway() {
  const form = root.querySelector("[data-logout-form]");
  form.dataset.anyway = "true";
  await forgetPages();
  form.submit();
}

if (root) {
  root.querySelector("[data-logout-form]").addEventListener("submit", confirm);
  root.querySelector("[data-logout-anyway]").addEventListener("click", anyway);
  root.querySelector("[data-logout-retry]").addEventListener("click", () => {
    show("[data-logout-stranded]", false);
    show("[data-logout-form]", true);
    root.querySelector("[data-logout-form]").requestSubmit();
  });
  describe().then(() => { root.dataset.state = "ready"; });
  outbox.subscribe(() => { if (root.dataset.state === "ready") describe(); });
}
