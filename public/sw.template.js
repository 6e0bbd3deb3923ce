// Hearth's service worker. tools/post-build.sh fills in the two lists below from
// the build, so every file of this version (hashed names included) is cached on
// install and the app opens with no network at all.
'use strict';
const VERSION = '__VERSION__';
const PRECACHE = __FILES__;
const CACHE = 'hearth-' + VERSION;
const SHELL = new URL('./index.html', self.registration.scope).href;

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new version waits until the carer taps "Reload",
  // so a form being typed into is never swapped out underneath them.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  // Older versions' caches go, except the one just before this: another tab
  // may still run that version, and it loads a screen's wasm chunk the first
  // time the screen opens. (Cache names are listed in the order they were made.)
  event.waitUntil(
    caches.keys()
      .then((keys) => {
        const older = keys.filter((k) => k.startsWith('hearth-') && k !== CACHE);
        return Promise.all(older.slice(0, -1).map((k) => caches.delete(k)));
      })
      .then(() => self.clients.claim()));
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Every page of the app is the one shell; routes live after the '#'.
    event.respondWith(caches.match(SHELL).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
});
