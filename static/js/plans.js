// Plan page: ask the service worker to keep every template and program page for offline use
// (their Start buttons then work in the gym without signal). Only when online.
const links = [...document.querySelectorAll("a[data-warm]")].map((a) => a.href);
if (links.length && "serviceWorker" in navigator && navigator.onLine) {
  navigator.serviceWorker.ready.then((reg) => {
    if (reg.active) reg.active.postMessage({ type: "WARM", urls: links });
  });
}
