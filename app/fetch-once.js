// Each wasm file a first load needs is fetched once, from the moment the
// start-up code runs. start.js asks for the main wasm (and a deep link's
// chunks) with fetchEarly; wasm-bindgen's glue and wasm-split's chunk loader
// then call fetch() for those addresses, and tools/post-build.sh points their
// fetch here (esbuild's define and inject), so they take the response already
// on its way. Not <link rel=preload as=fetch>: WebKit (Safari) never gives a
// preloaded response to fetch(), whatever the attributes and the caching, so
// it downloaded the main wasm twice. (`self.fetch`: in this bundle `fetch`
// is hearthFetch.)
const started = {};

export const fetchEarly = (file) => {
  const url = new URL(file, hearthPkg).href;
  started[url] = self.fetch(url);
};

// The bundle's fetch(): the response fetchEarly started, to its first asker;
// after that (a "Try again"), a new request.
export const hearthFetch = (url, options) => {
  const early = started[url];
  delete started[url];
  return early || self.fetch(url, options);
};
