// Service worker of the annuaire: keeps on the device the pages a family opened, so that they open again
// without a network. Written by the build (annuaire360/site/offline.py, from templates/service-worker.js):
// VERSION is a digest of every other file of the site, so a new build, and only a new build, replaces the
// cache. Every address is relative to where this file is served, so the site works under a sub-path too.
// The site works fully without it: it only adds the offline copies.
const VERSION = {{ version | tojson }};
const PRECACHE = {{ precache | tojson }};
const SCOPE = self.registration.scope;
const PREFIX = `annuaire360 ${SCOPE} `; // several copies of the site (/pr-42/, /pr-43/) share one origin's caches
const CACHE = PREFIX + VERSION;
const OFFLINE = new URL({{ offline | tojson }}, SCOPE).href;
const NOT_KEPT = {{ not_kept | tojson }}.map((path) => new URL(path, SCOPE).href); // fetched only when used
const SLOW = 4000; // ms: on a very slow network, a copy kept on the device is shown instead of waiting

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(PRECACHE.map((path) => new Request(new URL(path, SCOPE), { cache: "no-cache" })));
    await self.skipWaiting();
  })());
});

// The previous version's pages are fetched again into the new cache (the family keeps them, up to date),
// then the old cache is deleted: a page that cannot be fetched now is dropped rather than kept stale.
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const name of await caches.keys()) {
      if (!name.startsWith(PREFIX) || name === CACHE) continue;
      const old = await caches.open(name);
      for (const request of await old.keys()) {
        if (await cache.match(request)) continue;
        try {
          const response = await fetch(request.url, { cache: "no-cache" });
          if (keepable(response)) await cache.put(request.url, response);
        } catch (error) {
          // offline during the update: this page is not kept
        }
      }
      await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  if (NOT_KEPT.some((prefix) => request.url.startsWith(prefix))) return;
  event.respondWith(answer(event, request));
});

function keepable(response) {
  return response.ok && response.type === "basic";
}

// A page is kept without its query (?q=…): one copy per page.
function key(request) {
  const url = new URL(request.url);
  if (request.mode === "navigate") url.search = "";
  url.hash = "";
  return url.href;
}

// The network first, so that a family always sees the latest build; the kept copy when there is no network
// (or after SLOW ms when a copy exists); for a page never opened, the offline page and its phone number.
async function answer(event, request) {
  const cache = await caches.open(CACHE);
  const network = fetch(request);
  event.waitUntil(network.then((response) => keepable(response) && cache.put(key(request), response.clone())).catch(() => {}));
  const kept = await cache.match(key(request));
  try {
    if (!kept) return await network;
    return await Promise.race([network, new Promise((resolve) => setTimeout(resolve, SLOW, kept))]);
  } catch (error) {
    if (kept) return kept;
    if (request.mode === "navigate") return (await cache.match(OFFLINE)) || Response.error();
    return Response.error();
  }
}
