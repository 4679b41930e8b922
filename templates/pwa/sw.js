{# Hypertrophy service worker: rendered by hypertrophy.pwa.service_worker, served at /sw.js. #}
const VERSION = "{{ version }}";
const REQUIRED = {{ required_js }};
const OPTIONAL = {{ optional_js }};
const STATIC_URL = {{ static_url_js }};
const SHELL = `hypertrophy-shell-${VERSION}`;
const PAGES = `hypertrophy-pages-${VERSION}`;
const STATIC = `hypertrophy-static-${VERSION}`;
const MATCH = {ignoreVary: true};
const WORKOUT = /^\/workouts\/[0-9a-f-]{36}\/$/;

{# Fetches the worker makes on its own say so: their answers never change the browser's cookies #}
{# (hypertrophy.middleware.BackgroundFetchMiddleware), so one that started before a log-in cannot #}
{# put back the CSRF token the log-in replaced. #}
const BACKGROUND = {"X-Hypertrophy-Background": "1"};

{# When the browser knows it is offline, answer from the caches without trying the network. #}
const offline = () => self.navigator.onLine === false;
const isStatic = (path) => path.startsWith(STATIC_URL) || path === "/catalog.json";
{# Content-hashed files (production) never change: the cache answers alone, no revalidation. #}
const HASHED = /\.[0-9a-f]{12}\.\w+$/;
{# Pages say `Cache-Control: private, no-store` (for the HTTP cache and proxies); this cache is the #}
{# app's own and keeps them. Downloads (attachments) are never kept. #}
const cacheable = (res) =>
  res.status === 200 && res.type === "basic" && !/attachment/i.test(res.headers.get("Content-Disposition") || "");
{# A navigation cannot be answered with a redirected response: keep the body and headers only. #}
const clean = async (res) =>
  res.redirected ? new Response(await res.blob(), {status: res.status, headers: res.headers}) : res;

async function precache(url, required) {
  try {
    {# Pages are fetched fresh; static files may come from the HTTP cache the page just filled. #}
    const res = await fetch(url, {cache: isStatic(url) ? "default" : "reload", headers: BACKGROUND});
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    await (await caches.open(isStatic(url) ? STATIC : SHELL)).put(url, await clean(res));
  } catch (err) {
    if (required) throw err;
    console.warn("[sw] not precached:", url, String(err));
  }
}

self.addEventListener("install", (event) => {
  const all = [...REQUIRED.map((url) => precache(url, true)), ...OPTIONAL.map((url) => precache(url, false))];
  event.waitUntil(Promise.all(all).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("hypertrophy-") && ![SHELL, PAGES, STATIC].includes(key)) await caches.delete(key);
    }
    {# No navigation preload: it would send every navigation to the network, offline too. #}
    if (self.registration.navigationPreload) await self.registration.navigationPreload.disable();
    await self.clients.claim();
    await cacheOpenPages();
  })());
});

{# The page that installed the worker loaded before it was in control, so it is not cached #}
{# yet: fetch the open pages once so they reload offline too, with the static files they name #}
{# (a page's own script, measurements.js say, is not precached: it is kept with its page). #}
async function cacheOpenPages() {
  for (const client of await self.clients.matchAll({type: "window", includeUncontrolled: true})) {
    const url = new URL(client.url);
    if (url.origin !== self.location.origin || /^\/(api|admin|accounts)\//.test(url.pathname)) continue;
    try {
      const res = await fetch(url.href, {credentials: "same-origin", headers: BACKGROUND});
      if (!cacheable(res)) continue;
      const named = (await res.clone().text()).matchAll(/ (?:src|href)="([^"]+)"/g);
      const files = [...new Set([...named].map((m) => m[1]).filter((path) => path.startsWith(STATIC_URL)))];
      const cache = await caches.open(STATIC);
      await Promise.all(files.map(async (path) => (await cache.match(path, MATCH)) || precache(path, false)));
      await keep(url.href, res);
    } catch (err) {
      console.warn("[sw] could not cache open page", url.href, String(err));
    }
  }
}

{# Kept pages are bounded: the newest MAX_PAGES, none older than MAX_AGE (X-Kept-At, set here). #}
const MAX_PAGES = 100;
const MAX_AGE = 14 * 86400000;
let trimmed = 0;
const expired = (res) => Date.now() - (Number(res.headers.get("X-Kept-At")) || Date.now()) > MAX_AGE;
async function keep(key, res) {
  const headers = new Headers(res.headers);
  headers.set("X-Kept-At", String(Date.now()));
  const cache = await caches.open(PAGES);
  await cache.put(key, new Response(await res.blob(), {status: res.status, statusText: res.statusText, headers}));
  await trim(cache);
}
async function trim(cache) {
  const keys = await cache.keys();  {# oldest put first: a put moves its key to the end #}
  const surplus = keys.length - MAX_PAGES;
  for (const request of keys.slice(0, Math.max(0, surplus))) await cache.delete(request);
  if (Date.now() - trimmed < 600000) return;
  trimmed = Date.now();
  for (const request of keys.slice(Math.max(0, surplus))) {
    const hit = await cache.match(request);
    if (hit && expired(hit)) await cache.delete(request);
  }
}

{# A workout page's htmx refresh (its cards) goes into the kept full page too, between the page's #}
{# <!--cards--> and <!--/cards--> marks, so an offline reload shows what the last refresh showed. #}
async function splice(pageKey, cards) {
  const hit = await caches.match(pageKey, {...MATCH, cacheName: PAGES});
  if (!hit) return;
  const html = await hit.text();
  const [start, end] = [html.indexOf("<!--cards-->"), html.indexOf("<!--/cards-->")];
  if (start < 0 || end < start) return;
  const fresh = html.slice(0, start) + "<!--cards-->" + cards + html.slice(end);
  await keep(pageKey, new Response(fresh, {status: hit.status, headers: hit.headers}));
}

{# Network first; a 200 answer is kept in the pages cache under `key`; offline, the cached copy. #}
async function networkFirst(event, key, response) {
  try {
    if (offline()) throw new Error("offline");
    const res = await (response || fetch(event.request));
    if (event.request.mode === "navigate") event.waitUntil(followUser(res.clone()));
    if (cacheable(res)) {
      const copy = res.clone();  // now: the page starts reading the body as soon as we return
      event.waitUntil(keep(key, copy));
      const url = new URL(event.request.url);
      if (event.request.headers.has("HX-Request") && WORKOUT.test(url.pathname)) {
        const partial = res.clone();
        event.waitUntil(partial.text().then((text) => splice(url.origin + url.pathname, text)));
      }
    }
    return res;
  } catch (err) {
    const hit = await caches.match(key, MATCH);
    if (hit && !expired(hit)) return hit;
    throw err;
  }
}

{# The shell and /offline render the user and units (offline sets take the shell's unit): fetch #}
{# them again when a page's body[data-shell] (base.html) differs from the kept shell's (`kept`). #}
let kept = null;
const shellKey = async (res) => res && ((await res.text()).match(/<body[^>]* data-shell="([^"]*)"/) || [])[1];
async function followUser(res) {
  if (!/html/.test(res.headers.get("Content-Type"))) return;
  const key = await shellKey(res);
  kept ??= await shellKey(await caches.match("/workouts/shell/", {...MATCH, cacheName: SHELL}));
  if (!key || key === kept) return;
  const [was, is] = [kept, key].map((k) => String(k).split(" ")[0]);
  kept = key;
  {# No longer that account (session ended, another logged in): its kept pages go, as at log-out. #}
  if (/^[0-9a-f-]{36}$/.test(was) && was !== is) await caches.delete(PAGES);
  const pages = [...REQUIRED, ...OPTIONAL].filter((url) => !isStatic(url));
  await Promise.all(pages.map((url) => precache(url, false)));
  kept = null;  // what was kept is read again at the next page
}

{# Offline and not cached: a workout page gets the workout shell (the outbox fills it), others /offline. #}
async function navigate(event, path) {
  try {
    return await networkFirst(event, event.request);
  } catch (err) {
    const shell = (url) => caches.match(url, {...MATCH, cacheName: SHELL});
    return (WORKOUT.test(path) && (await shell("/workouts/shell/"))) || (await shell("/offline")) || Response.error();
  }
}

async function staleWhileRevalidate(event) {
  const cache = await caches.open(STATIC);
  const hit = await cache.match(event.request, MATCH);
  if (hit && (offline() || HASHED.test(new URL(event.request.url).pathname))) return hit;
  const update = fetch(event.request).then(async (res) => {
    if (cacheable(res)) await cache.put(event.request, res.clone());
    return res;
  });
  if (!hit) return update;
  event.waitUntil(update.catch(() => {}));
  return hit;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  {# Writes, other origins, the API, the admin and accounts go straight to the network. #}
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (/^\/(api|admin|accounts)\//.test(url.pathname)) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, url.pathname));
  } else if (isStatic(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event));
  } else if (request.headers.has("HX-Request")) {
    {# Partials live under their own key: never a full page for htmx, nor a partial for a navigation. #}
    url.searchParams.set("__hx", "1");
    event.respondWith(networkFirst(event, url.href));
  } else {
    event.respondWith(networkFirst(event, request));
  }
});

{# The plan page lists the lifter's templates and programs: keep each page for offline use, so a #}
{# workout can be started from any of them in the gym without signal (static/js/plans.js asks). #}
const WARMABLE = /^\/plan\/(templates|programs)\/[0-9a-f-]{36}\/$/;
async function warmPages(urls) {
  for (const href of urls.slice(0, 50)) {
    const url = new URL(href, self.location.origin);
    if (url.origin !== self.location.origin || !WARMABLE.test(url.pathname)) continue;
    try {
      const res = await fetch(url.href, {credentials: "same-origin", headers: BACKGROUND});
      if (cacheable(res)) await keep(url.href, res);
    } catch (err) {
      console.warn("[sw] could not keep", url.href, String(err));
    }
  }
}

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
  {# The workout page after a sync it drew itself: its cards go into the kept page. #}
  if (event.data && event.data.type === "KEEP_CARDS" && WORKOUT.test(event.data.url) && typeof event.data.html === "string") {
    event.waitUntil(splice(new URL(event.data.url, self.location.origin).href, event.data.html.replace(/<!--\/?cards-->/g, "")));
  }
  if (event.data && event.data.type === "WARM" && Array.isArray(event.data.urls)) event.waitUntil(warmPages(event.data.urls));
  {# A page that loaded while this worker was activating missed clients.claim(): take it now. #}
  if (event.data && event.data.type === "CLAIM") event.waitUntil(self.clients.claim().then(cacheOpenPages));
});

{# Background Sync: ask open pages to flush their outbox (with none open, the next page load flushes). #}
self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox-flush") return;
  event.waitUntil(self.clients.matchAll({includeUncontrolled: true, type: "window"})
    .then((windows) => windows.forEach((client) => client.postMessage({type: "flush"}))));
});
