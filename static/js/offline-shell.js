// The service worker answers offline with the workout shell and /offline it kept, and they
// show who is logged in and in which units: a workout started offline logs its sets in the
// shell's unit. When this page's body[data-shell] (user, units, theme…) differs from the one
// the kept shell was rendered with (a log-in, a log-out, settings saved), have them fetched again.
const KEY = "hypertrophy-shell";
const shell = document.body.dataset.shell;
const store = () => { try { localStorage.setItem(KEY, shell); } catch {} };
const stored = () => { try { return localStorage.getItem(KEY); } catch { return null; } };

// The data-shell the kept workout shell was rendered with (null: none kept).
async function keptShell() {
  const name = (await caches.keys()).filter((key) => key.startsWith("hypertrophy-shell-")).pop();
  const res = name && (await caches.match("/workouts/shell/", { cacheName: name, ignoreVary: true }));
  const attr = res && (await res.text()).match(/<body[^>]* data-shell="([^"]*)"/);
  return attr && new DOMParser().parseFromString(`<b title="${attr[1]}">`, "text/html").body.firstChild.title;
}

async function refresh() {
  const reg = await navigator.serviceWorker.ready;
  if ((await keptShell()) === shell) return store();  // e.g. just installed with this page's cookies
  const channel = new MessageChannel();
  channel.port1.onmessage = (e) => e.data.ok && store();
  reg.active.postMessage({ type: "SHELL" }, [channel.port2]);
}

if (shell && "serviceWorker" in navigator && navigator.onLine && stored() !== shell) refresh().catch(() => {});
