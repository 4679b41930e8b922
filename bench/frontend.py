#!/usr/bin/env python
"""What the phone pays: first-load bytes, an offline reload, and tap-to-row time for "Log set".

    .venv/bin/python bench/frontend.py              # throwaway PostgreSQL + gunicorn + Chromium (~1-2 min)
    .venv/bin/python bench/frontend.py --sqlite     # on a temp SQLite file instead

A production-like server: gunicorn ``hypertrophy.wsgi`` with DEBUG off, static files from
``collectstatic`` (whitenoise's compressed manifest storage, written to <repo>/staticfiles)
served by whitenoise, on a throwaway PostgreSQL cluster started as bench/run.py does. One
demo user (``seed_demo --weeks 1``) is logged in by a session cookie where a page needs it.
Debian's Chromium (headless) is driven by Playwright; every figure comes from a fresh
browser context (empty HTTP cache, no service worker, no IndexedDB).

1. **First load** of ``/`` (a new visitor) and of a workout page (the demo user's latest
   workout): every response that crossed the network, from Playwright's request events
   (``request.sizes()``: encoded body bytes as transferred, i.e. gzip where whitenoise
   served gzip, plus response headers), split into what the page itself loaded and what
   the service worker fetched to precache on install. Targets: JavaScript ≤ 40 KB
   gzipped, htmx included; total transfer ≤ 150 KB (KB = 1,000 bytes).
2. **Offline reload** of the workout page: a fresh context loads it online, waits until the
   service worker controls it (``navigator.serviceWorker.controller``), goes offline
   (``context.set_offline(True)``) and reloads. Every request of the reload is classed by
   outcome: answered by the worker (fine); failed (a network attempt); reached the server
   (gunicorn's access log for the reload window — Chromium's offline emulation does not
   cover the browser's own service-worker update check); answered by the HTTP cache (a
   fetch the emulation lets through because it never leaves the browser). Target: 0
   network requests. Three cases: right after the first visit (HTTP cache warm), and
   "hours later" (HTTP cache cleared with ``Network.clearBrowserCache``: whitenoise gives
   unhashed files a 60-second max-age) after one visit and after two visits (the second
   one navigated through the worker). For the later cases: do the page's scripts run, and
   are the workout's sets on screen as they were online?
3. **Log set → row on screen**: start a workout, add "Barbell Bench Press" through the
   picker, log 30 sets. For each: the page's own ``performance.measure("log-set")``
   (submit handler start → row built), and, measured in the page, ``pointerdown`` of
   Playwright's click → the new ``.set-row`` in the DOM (MutationObserver) and → the next
   frame after it (rAF + a posted message, i.e. after that frame's paint). Between sets
   the page is left to settle (synced; a logged set fetches no refresh: the page draws it), as a lifter resting would.
   Also run with 4× CPU throttling (CDP) as a mid-range phone, for information.
   Target: p95 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from common import BenchError, log, pct  # noqa: E402

SCRIPT = Path(__file__).resolve()
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 390, "height": 844}
KB = 1000
TARGET_JS_KB = 40
TARGET_TOTAL_KB = 150
TARGET_OFFLINE_REQUESTS = 0
TARGET_LOG_SET_MS = 50.0
EXERCISE = "Barbell Bench Press"

SETTLED = """() => {
  const b = window.__bench;
  const status = document.querySelector('[role=status]');
  const rows = [...document.querySelectorAll('#cards .set-row')];
  return status && status.textContent.trim() === 'All changes saved'
    && rows.every((r) => r.dataset.sync === 'synced')
    && !document.querySelector('.htmx-request')
    && (!b || !b.samples.length || b.samples[b.samples.length - 1].painted !== null);
}"""

INSTRUMENT = """() => {
  if (window.__bench) return;
  const b = window.__bench = {samples: [], pending: null, settles: 0};
  const known = () => new Set([...document.querySelectorAll('.set-row[data-set-id]')].map((r) => r.dataset.setId));
  document.body.addEventListener('htmx:afterSettle', () => { b.settles += 1; });
  document.addEventListener('pointerdown', (e) => {
    if (!e.target.closest('button.log')) return;
    b.pending = {down: performance.now(), click: null, dom: null, frame: null, painted: null, known: known(), settlesBefore: b.settles};
  }, true);
  document.addEventListener('click', (e) => {
    if (b.pending && e.target.closest('button.log') && b.pending.click === null) b.pending.click = performance.now();
  }, true);
  const channel = new MessageChannel();
  new MutationObserver((mutations) => {
    const p = b.pending;
    if (!p || p.dom !== null) return;
    for (const m of mutations) {
      for (const node of m.addedNodes) {
        if (node.nodeType !== 1) continue;
        const rows = node.matches('.set-row') ? [node] : [...node.querySelectorAll('.set-row')];
        if (!rows.some((r) => r.dataset.setId && !p.known.has(r.dataset.setId))) continue;
        p.dom = performance.now();
        requestAnimationFrame(() => {
          p.frame = performance.now();
          channel.port1.onmessage = () => {
            p.painted = performance.now();
            delete p.known;
            b.samples.push(p);
            b.pending = null;
          };
          channel.port2.postMessage(0);
        });
        return;
      }
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""


# --- helpers ---------------------------------------------------------------------------


def new_context(browser, base: str, session_key: str | None):
    ctx = browser.new_context(service_workers="allow", viewport=VIEWPORT)
    if session_key:
        ctx.add_cookies([{"name": "sessionid", "value": session_key, "url": base, "httpOnly": True, "sameSite": "Lax"}])
    return ctx


def wait_js(page, expression: str, timeout: float = 30_000) -> None:
    """Poll a JavaScript expression until truthy. page.evaluate, not wait_for_function: the
    app's Content-Security-Policy forbids the eval() wait_for_function needs, and the bench
    runs under the real policy."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{expression!r} did not hold within {timeout / 1000:.0f} s")
        page.wait_for_timeout(10)


def wait_controlled(page, timeout: float = 20_000) -> None:
    wait_js(page, "navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=timeout)


def wire_size(url: str, cookies: dict | None = None) -> int:
    """Body bytes as sent on the wire (not decoded), asking for what Chromium asks for."""
    import requests

    with requests.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"}, cookies=cookies or {}, stream=True,
                      timeout=30) as response:
        return len(response.raw.read(decode_content=False))


def classify(records: list, base: str, *, with_gzip_estimate: bool = False, cookies: dict | None = None) -> list[dict]:
    """One row per request: who sent it, whether it crossed the network, and its size."""
    rows = []
    for r in records:
        response = r.response()
        failure = r.failure
        try:
            sizes = r.sizes() if response is not None else {}
        except Exception:  # noqa: BLE001 - a request that never finished has no sizes
            sizes = {}
        by_worker = r.service_worker is not None
        from_worker = bool(response is not None and response.from_service_worker)
        headers = response.headers if response is not None else {}
        body = sizes.get("responseBodySize", 0)
        header_bytes = sizes.get("responseHeadersSize", 0)
        if by_worker and urlsplit(r.url).path == "/sw.js" and response is not None and response.status == 200 and not body:
            body = wire_size(r.url)  # Playwright cannot see the worker script's body size
        # A fetch answered by the HTTP cache transfers nothing (Chromium reports no encoded bytes,
        # so Playwright's body size comes out negative or zero).
        http_cache = response is not None and failure is None and (body < 0 or body + header_bytes <= 0)
        if http_cache:
            body = header_bytes = 0
        rows.append({
            "url": r.url[len(base):] if r.url.startswith(base) else r.url,
            "method": r.method,
            "sender": "service worker" if by_worker else "page",
            "resource_type": r.resource_type,
            "status": response.status if response is not None else None,
            "from_service_worker": from_worker,
            # The worker's own fetches, and page requests it did not answer, unless the HTTP cache did.
            "network": (by_worker or not from_worker) and not http_cache,
            "from_http_cache": http_cache,
            "failed": failure,
            "content_type": headers.get("content-type", ""),
            "content_encoding": headers.get("content-encoding", ""),
            "body_bytes": body,
            "header_bytes": header_bytes,
            "cache_control": headers.get("cache-control", ""),
            "gzip_would_be": _gzip_estimate(r.url, response, headers, cookies) if with_gzip_estimate and not http_cache else None,
        })
    return rows


def _gzip_estimate(url: str, response, headers: dict, cookies: dict | None) -> int | None:
    """For a text response sent uncompressed: its size gzipped (level 6, as GZipMiddleware).
    Bodies Playwright cannot hand over (the worker's fetches) are fetched again with requests."""
    kind = headers.get("content-type", "")
    if response is None or headers.get("content-encoding") or not any(t in kind for t in ("text/", "json", "javascript")):
        return None
    body = b""
    with contextlib.suppress(Exception):
        body = response.body()
    if not body:
        import requests

        try:
            body = requests.get(url, cookies=cookies or {}, timeout=30).content
        except requests.RequestException:
            return None
    return len(gzip.compress(body, 6))


def is_js(row: dict) -> bool:
    return "javascript" in row["content_type"] or urlsplit(row["url"]).path.endswith((".js", ".mjs"))


# --- 1. first load ---------------------------------------------------------------------


def first_load(browser, base: str, path: str, session_key: str | None) -> dict:
    ctx = new_context(browser, base, session_key)
    records: list = []
    ctx.on("request", lambda request: records.append(request))
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        t0 = time.perf_counter()
        response = page.goto(base + path, wait_until="load")
        load_s = time.perf_counter() - t0
        if response is None or response.status != 200:
            raise BenchError(f"first load of {path}: {response.status if response else 'no response'}")
        wait_controlled(page)  # install (precache) done and clients.claim()ed
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        resource_timing = page.evaluate("""() => performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
            .map((e) => ({name: e.name, type: e.initiatorType, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize}))""")
        rows = classify(records, base, with_gzip_estimate=True, cookies={"sessionid": session_key} if session_key else None)
    finally:
        ctx.close()
    page_rows = [r for r in rows if r["sender"] == "page" and r["network"]]
    all_rows = [r for r in rows if r["network"]]

    def total(selected, *, js=False, headers=True, gzipped=False):
        return sum((r["gzip_would_be"] if gzipped and r["gzip_would_be"] is not None else r["body_bytes"])
                   + (r["header_bytes"] if headers else 0) for r in selected if not js or is_js(r))

    return {
        "path": path,
        "logged_in": bool(session_key),
        "load_event_s": load_s,
        "page_errors": errors,
        "page": {
            "requests": len(page_rows),
            "js_body_bytes": total(page_rows, js=True, headers=False),
            "js_bytes_with_headers": total(page_rows, js=True),
            "total_bytes": total(page_rows),
            "total_bytes_if_text_gzipped": total(page_rows, gzipped=True),
            "html_body_bytes": sum(r["body_bytes"] for r in page_rows if r["resource_type"] == "document"),
        },
        "with_service_worker_install": {
            "requests": len(all_rows),
            "js_body_bytes": total(all_rows, js=True, headers=False),
            "js_bytes_with_headers": total(all_rows, js=True),
            "total_bytes": total(all_rows),
            "total_bytes_if_text_gzipped": total(all_rows, gzipped=True),
        },
        "requests": rows,
        "resource_timing": resource_timing,
    }


# --- 2. offline reload -----------------------------------------------------------------


PAGE_STATE = """() => ({
  title: document.title,
  scripts_ran: document.documentElement.dataset.js === 'ready',
  found: document.querySelector('#workout')?.dataset.found ?? null,
  set_rows: document.querySelectorAll('#cards .set-row').length,
  not_found_notice: !!document.querySelector('[data-not-found]'),
})"""

CACHE_LISTING = """caches.keys().then(async (keys) => Object.fromEntries(await Promise.all(keys.map(async (k) =>
  [k, (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search)]))))"""


def offline_reload(browser, base: str, path: str, session_key: str, server: common.Server, *,
                   second_visit: bool, cold_http_cache: bool) -> dict:
    """Load ``path`` online (once, or twice with ``second_visit``: the second time through the
    worker), go offline, reload, and account for every request of the reload.

    Chromium's offline emulation fails the page's and the worker's fetches that would hit the
    network, but a fetch the HTTP cache can answer still succeeds, and the browser's own
    service-worker update check (``/sw.js``) is not covered at all. So each request is classed
    by outcome: answered by the worker; failed (a network attempt); reached the server
    (gunicorn's access log for the reload window); or answered by the HTTP cache.
    ``cold_http_cache`` clears the HTTP cache first (``Network.clearBrowserCache``): the phone
    some hours later, when whitenoise's 60-second max-age on unhashed files has long run out.
    """
    ctx = new_context(browser, base, session_key)
    records: list = []
    ctx.on("request", lambda request: records.append(request))
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        console_errors: list[str] = []
        page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
        page.goto(base + path, wait_until="load")
        wait_controlled(page)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        if second_visit:
            page.reload(wait_until="load")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
        online_state = page.evaluate(PAGE_STATE)
        caches = page.evaluate(CACHE_LISTING)
        if cold_http_cache:
            ctx.new_cdp_session(page).send("Network.clearBrowserCache")
        page.wait_for_timeout(300)
        seen = len(server.access_lines())
        records.clear()
        console_errors.clear()
        ctx.set_offline(True)
        reload_error = None
        try:
            response = page.reload(wait_until="load", timeout=20_000)
            served_by_worker = bool(response and response.from_service_worker)
            status = response.status if response else None
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            reload_error, served_by_worker, status = str(exc).splitlines()[0], False, None
        page.wait_for_timeout(2000)  # late requests: revalidation, catalog, outbox flush
        state = page.evaluate(PAGE_STATE) if reload_error is None else None
        rows = classify(records, base)
        reached = [tuple(line.split()[-2:]) for line in server.access_lines()[seen:]]
    finally:
        ctx.close()

    unmatched = list(reached)
    for r in rows:
        key = (r["method"], urlsplit(r["url"]).path)
        if r["sender"] == "page" and r["from_service_worker"]:
            r["outcome"] = "answered by the worker"
        elif r["failed"]:
            r["outcome"] = "network attempt, failed"
        elif key in unmatched:
            unmatched.remove(key)
            r["outcome"] = "reached the server"
        else:
            r["outcome"] = "answered by the HTTP cache"
    extra = [{"method": m, "url": p, "sender": "browser", "resource_type": "-", "status": None, "failed": None,
              "outcome": "reached the server" + (" (service-worker update check)" if p == "/sw.js" else "")}
             for m, p in unmatched]
    detail = [{k: r[k] for k in ("method", "url", "sender", "resource_type", "status", "failed", "outcome")} for r in rows] + extra
    network = [d for d in detail if d["outcome"].startswith(("network attempt", "reached the server"))]
    return {
        "path": path,
        "visits_before_offline": 2 if second_visit else 1,
        "http_cache": "cleared" if cold_http_cache else "warm",
        "reload_status": status,
        "reload_served_by_worker": served_by_worker,
        "reload_error": reload_error,
        "page_errors": errors,
        "console_errors_offline": console_errors,
        "requests": len(detail),
        "answered_by_worker": sum(1 for d in detail if d["outcome"] == "answered by the worker"),
        "answered_by_http_cache": sum(1 for d in detail if d["outcome"] == "answered by the HTTP cache"),
        "network_requests": len(network),
        "network_failed": sum(1 for d in network if d["outcome"].startswith("network attempt")),
        "reached_server": [f"{d['method']} {d['url']}" for d in network if d["outcome"].startswith("reached")],
        "network_by_page": sum(1 for d in network if d["sender"] == "page"),
        "network_by_worker": sum(1 for d in network if d["sender"] == "service worker"),
        "network_by_browser": sum(1 for d in network if d["sender"] == "browser"),
        "detail": detail,
        "state_online": online_state,
        "state_offline": state,
        "caches_before_offline": caches,
    }


# --- 3. log set → row ------------------------------------------------------------------


def log_sets(browser, base: str, session_key: str, *, sets: int, throttle: float) -> dict:
    ctx = new_context(browser, base, session_key)
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        cdp = ctx.new_cdp_session(page) if throttle > 1 else None
        page.goto(base + "/", wait_until="load")
        wait_controlled(page)
        unfinished = page.get_by_role("link", name=re.compile(r"^Continue workout"))
        if unfinished.count():  # left over by an interrupted run on the same database: finish it first
            unfinished.first.click()
            page.get_by_role("button", name="Finish workout").click()
            page.locator("#summary").wait_for(state="visible")
            wait_js(page, "document.querySelector('[role=status]').textContent.trim() === 'All changes saved'", timeout=20_000)
            page.goto(base + "/", wait_until="load")
        page.get_by_role("button", name="Start workout").click()
        page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"), timeout=20_000)
        workout_id = page.url.rstrip("/").rsplit("/", 1)[1]
        wait_js(page, "document.documentElement.dataset.js === 'ready'")
        page.get_by_role("button", name="Add exercise").click()
        page.get_by_label("Search exercises").fill("bench press")
        page.get_by_role("button", name=EXERCISE, exact=True).click()
        card = page.locator(".exercise-card", has_text=EXERCISE)
        card.wait_for(state="visible")
        wait_js(page, SETTLED, timeout=20_000)
        page.evaluate(INSTRUMENT)
        if cdp:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        t0 = time.perf_counter()
        for i in range(sets):
            card.get_by_label("Weight").fill(str(60 + 2.5 * (i % 8)))
            card.get_by_label("Reps").fill(str(5 + i % 6))
            card.get_by_role("button", name="Log set").click()
            wait_js(page, f"window.__bench.samples.length >= {i + 1}", timeout=20_000)
            wait_js(page, SETTLED, timeout=30_000)
        flow_s = time.perf_counter() - t0
        if cdp:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        samples = page.evaluate("window.__bench.samples")
        measures = page.evaluate("performance.getEntriesByName('log-set', 'measure').map((m) => m.duration)")
        rows_on_page = page.locator("#cards .set-row").count()
        # Every set reached the server exactly once.
        detail = page.request.get(f"{base}/api/v1/workouts/{workout_id}")
        server_sets = len(detail.json()["sets"]) if detail.ok else None
        # Finish it, so the next run's home page offers "Start workout" again.
        page.get_by_role("button", name="Finish workout").click()
        page.locator("#summary").wait_for(state="visible")
        wait_js(page, "document.querySelector('[role=status]').textContent.trim() === 'All changes saved'", timeout=20_000)
    finally:
        ctx.close()
    if len(samples) != sets or len(measures) != sets:
        raise BenchError(f"log set: {len(samples)} observed rows and {len(measures)} measures for {sets} sets")
    if server_sets != sets or rows_on_page != sets:
        raise BenchError(f"log set: {rows_on_page} rows on the page and {server_sets} sets on the server, expected {sets}")
    dom = [s["dom"] - s["down"] for s in samples]
    painted = [s["painted"] - s["down"] for s in samples]
    click_to_dom = [s["dom"] - s["click"] for s in samples if s["click"] is not None]

    def summary(values):
        return {"p50_ms": statistics.median(values), "p95_ms": pct(values, 0.95), "max_ms": max(values), "min_ms": min(values)}

    return {
        "cpu_throttle": throttle,
        "sets": sets,
        "workout_id": workout_id,
        "flow_seconds": flow_s,
        "page_errors": errors,
        "measure_log_set": summary(measures),
        "pointerdown_to_row_in_dom": summary(dom),
        "click_to_row_in_dom": summary(click_to_dom),
        "pointerdown_to_next_frame": summary(painted),
        "samples_ms": {"measure": measures, "pointerdown_to_dom": dom, "pointerdown_to_next_frame": painted},
        "server_sets": server_sets,
    }


# --- main ------------------------------------------------------------------------------


def build_rows(r: dict) -> tuple[list[tuple], list[dict]]:
    rows, metrics = [], []

    def add(metric, value, unit, target_text, passed, fmt="{:.1f}"):
        rows.append((metric, fmt.format(value) + (f" {unit}" if unit else ""), target_text,
                     "-" if passed is None else ("PASS" if passed else "MISS")))
        metrics.append({"metric": metric, "value": value, "unit": unit, "target": target_text, "pass": passed})

    for key, label in (("home", "/ (new visitor)"), ("workout", "workout page (logged in)")):
        f = r["first_load"][key]
        p, w = f["page"], f["with_service_worker_install"]
        add(f"{label}: JS gzipped, page", p["js_body_bytes"] / KB, "KB", f"≤ {TARGET_JS_KB} KB", p["js_body_bytes"] / KB <= TARGET_JS_KB)
        add(f"{label}: JS incl. worker precache", w["js_body_bytes"] / KB, "KB", f"≤ {TARGET_JS_KB} KB", w["js_body_bytes"] / KB <= TARGET_JS_KB)
        add(f"{label}: total transfer, page", p["total_bytes"] / KB, "KB", f"≤ {TARGET_TOTAL_KB} KB", p["total_bytes"] / KB <= TARGET_TOTAL_KB)
        add(f"{label}: total incl. worker install", w["total_bytes"] / KB, "KB", f"≤ {TARGET_TOTAL_KB} KB", w["total_bytes"] / KB <= TARGET_TOTAL_KB)
        add(f"{label}: HTML document body", p["html_body_bytes"] / KB, "KB", "-", None)
    o = r["offline"]["first_visit"]
    add("offline reload after 1st visit: network requests", o["network_requests"], "", f"= {TARGET_OFFLINE_REQUESTS}",
        o["network_requests"] == TARGET_OFFLINE_REQUESTS, "{:d}")
    add("  of which reached the server", len(o["reached_server"]), "", f"= {TARGET_OFFLINE_REQUESTS}",
        len(o["reached_server"]) == TARGET_OFFLINE_REQUESTS, "{:d}")
    add("  requests answered by the worker / HTTP cache", o["answered_by_worker"], "", f"(+ {o['answered_by_http_cache']} by the HTTP cache)", None, "{:d}")
    for key, label in (("first_visit_later", "offline reload, hours after 1st visit"), ("second_visit_later", "offline reload, hours after 2nd visit")):
        d = r["offline"][key]
        after, before = d["state_offline"] or {}, d["state_online"]
        works = bool(after.get("scripts_ran") and d["reload_served_by_worker"])
        add(f"{label}: scripts run", 1 if works else 0, "", "1 (page script + outbox loaded)", works, "{:d}")
        shown = after.get("set_rows", 0)
        add(f"{label}: sets on screen", shown, "", f"= {before['set_rows']} (as online)", shown == before["set_rows"] > 0, "{:d}")
        add(f"{label}: network requests", d["network_requests"], "", f"= {TARGET_OFFLINE_REQUESTS}",
            d["network_requests"] == TARGET_OFFLINE_REQUESTS, "{:d}")
    for key, label in (("unthrottled", ""), ("throttled", f" ({r['log_set'].get('throttled', {}).get('cpu_throttle', 4):g}× CPU)")):
        ls = r["log_set"].get(key)
        if not ls:
            continue
        judged = key == "unthrottled"
        for name, field in (("performance.measure log-set", "measure_log_set"), ("pointerdown → row in DOM", "pointerdown_to_row_in_dom"),
                            ("pointerdown → next frame", "pointerdown_to_next_frame")):
            v = ls[field]
            add(f"log set{label}: {name} p50", v["p50_ms"], "ms", f"≤ {TARGET_LOG_SET_MS:g} ms" if judged else "-",
                v["p50_ms"] <= TARGET_LOG_SET_MS if judged else None)
            add(f"log set{label}: {name} p95", v["p95_ms"], "ms", f"≤ {TARGET_LOG_SET_MS:g} ms" if judged else "-",
                v["p95_ms"] <= TARGET_LOG_SET_MS if judged else None)
    return rows, metrics


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    db = parser.add_mutually_exclusive_group()
    db.add_argument("--sqlite", action="store_true", help="Run on a temp SQLite file instead of PostgreSQL.")
    db.add_argument("--database-url", help="Use this PostgreSQL database (a one-week demo user is seeded into it).")
    parser.add_argument("--sets", type=int, default=30, help="Sets logged for the tap-to-row figure (default 30).")
    parser.add_argument("--throttle", type=float, default=4.0, help="CPU slow-down of the extra log-set run (0: skip; default 4).")
    parser.add_argument("--output", type=Path, default=common.RESULTS / "frontend.json")
    args = parser.parse_args(argv)
    if not (5 <= args.sets <= 200):
        parser.error("--sets must be 5..200")
    if not (os.path.exists(CHROMIUM)):
        raise BenchError(f"Chromium not found at {CHROMIUM} (set CHROMIUM_PATH)")

    common.install_signal_handlers()
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    started = time.perf_counter()
    load_before = [round(x, 2) for x in os.getloadavg()]
    if load_before[0] > 0.5:
        log(f"warning: load average {load_before[0]:.2f} before the run; other work on this machine will skew the timings")
    results: dict = {"benchmark": "frontend", "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}
    with contextlib.ExitStack() as stack:
        backend = common.Backend(stack, sqlite=args.sqlite, database_url=args.database_url)
        log(f"database: {backend.kind}: {backend.version.split(',')[0]}; migrate, load_catalog, collectstatic")
        backend.prepare()
        common.seed_users(backend, {"one-week": 1}, end=common.history_end_date())
        session = common.django_task(SCRIPT, "sessions", {"usernames": ["one-week"]}, backend.env)["one-week"]
        workout_path = f"/workouts/{session['latest_workout_id']}/"
        server = common.Server(backend.env, backend.tmp, access_log=True)
        stack.callback(server.stop)
        server.start()
        base = server.base
        log(f"gunicorn + whitenoise on {base}, DEBUG off; Chromium {CHROMIUM}")

        from playwright.sync_api import sync_playwright

        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        results["chromium"] = browser.version

        log("first load: / (new visitor) and the workout page (logged in), fresh contexts")
        results["first_load"] = {
            "home": first_load(browser, base, "/", None),
            "workout": first_load(browser, base, workout_path, session["session_key"]),
        }
        for key, f in results["first_load"].items():
            log(f"  {key}: page {f['page']['requests']} requests, JS {f['page']['js_body_bytes']:,} B, total {f['page']['total_bytes']:,} B; "
                f"with the worker's install {f['with_service_worker_install']['requests']} requests, "
                f"{f['with_service_worker_install']['total_bytes']:,} B")

        log(f"log set: start a workout, add {EXERCISE}, log {args.sets} sets")
        results["log_set"] = {"unthrottled": log_sets(browser, base, session["session_key"], sets=args.sets, throttle=1)}
        if args.throttle and args.throttle > 1:
            log(f"log set again with {args.throttle:g}× CPU throttling")
            results["log_set"]["throttled"] = log_sets(browser, base, session["session_key"], sets=args.sets, throttle=args.throttle)

        log("offline reload of the workout page: right after a first visit; later (HTTP cache cold) after one and two visits")
        results["offline"] = {
            "first_visit": offline_reload(browser, base, workout_path, session["session_key"], server,
                                          second_visit=False, cold_http_cache=False),
            "first_visit_later": offline_reload(browser, base, workout_path, session["session_key"], server,
                                                second_visit=False, cold_http_cache=True),
            "second_visit_later": offline_reload(browser, base, workout_path, session["session_key"], server,
                                                 second_visit=True, cold_http_cache=True),
        }

        results["machine"] = common.machine_info(backend.version)
        results["machine"]["loadavg_before"] = load_before
        results["static"] = {"storage": "whitenoise.storage.CompressedManifestStaticFilesStorage", "static_root": "staticfiles/"}
    results["total_seconds"] = time.perf_counter() - started
    rows, metrics = build_rows(results)
    results["metrics"] = metrics
    common.write_results(args.output, results)
    print_report(results, rows)
    return results


def print_report(results: dict, rows: list[tuple]) -> None:
    m = results["machine"]
    print()
    print(f"Hypertrophy frontend bench — {m['date']} — {m['nproc']} × {m['cpu_model']}, {m['ram_gb']} GB RAM, "
          f"Python {m['python']}, Chromium {results['chromium']}, {m['database'].split(',')[0]}, git {m['git']}, "
          f"load {m['loadavg_before']} → {m['loadavg']}")
    print(common.table(("metric", "value", "target", "result"), rows, right={1}))
    for key in ("home", "workout"):
        f = results["first_load"][key]
        print(f"\nFirst load of {f['path']} — every response that crossed the network (body bytes as sent + headers):")
        detail = [(r["sender"], r["url"][:64], str(r["status"]), r["content_encoding"] or "-", f"{r['body_bytes']:,}", f"{r['header_bytes']:,}",
                   f"{r['gzip_would_be']:,}" if r["gzip_would_be"] is not None else "-", r["cache_control"][:40])
                  for r in f["requests"] if r["network"]]
        print(common.table(("sent by", "url", "status", "encoding", "body B", "headers B", "gzipped B", "Cache-Control"), detail, right={4, 5, 6}))
        print(f"  page: {f['page']['total_bytes']:,} B, {f['page']['total_bytes_if_text_gzipped']:,} B if HTML/JSON were gzipped; "
              f"with the worker's install: {f['with_service_worker_install']['total_bytes']:,} B, "
              f"{f['with_service_worker_install']['total_bytes_if_text_gzipped']:,} B if gzipped")
    for key, o in results["offline"].items():
        print(f"\nOffline reload of {o['path']} ({key}: {o['visits_before_offline']} online visit(s), HTTP cache {o['http_cache']}): "
              f"document {o['reload_status']} from the worker: {o['reload_served_by_worker']}"
              f"{'; reload failed: ' + o['reload_error'] if o['reload_error'] else ''}; {o['requests']} requests: "
              f"{o['answered_by_worker']} answered by the worker, {o['answered_by_http_cache']} by the HTTP cache, "
              f"{o['network_requests']} to the network ({o['network_failed']} failed, reached the server: {', '.join(o['reached_server']) or 'none'})")
        print(f"    online: {o['state_online']}\n    offline: {o['state_offline']}")
        for d in o["detail"]:
            if d["outcome"] != "answered by the worker":
                print(f"    {d['sender']:>14}  {d['method']} {d['url'][:60]:<60}  {d['outcome']}{' (' + d['failed'] + ')' if d['failed'] else ''}")
    misses = [r[0] for r in rows if r[-1] == "MISS"]
    print(f"\n{sum(1 for r in rows if r[-1] == 'PASS')} pass, {len(misses)} miss; whole run {results['total_seconds']:.0f} s; "
          f"figures in {common.rel(Path(results['config']['output']))}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--django-task":
        common.run_django_task(sys.argv[1:], {})
        sys.exit(0)
    try:
        main()
    except KeyboardInterrupt:
        print("\ninterrupted; the cluster, server and browser were stopped and removed", file=sys.stderr)
        sys.exit(130)
    except BenchError as exc:
        print(f"\nbench failed: {exc}", file=sys.stderr)
        sys.exit(2)
