// Hearth's start-up. tools/post-build.sh bundles this with wasm-bindgen's glue
// (and its snippets and the chunk loader) into one script, inline in
// index.html: on a first visit the page then needs one file, the main wasm,
// before the first screen, instead of five scripts and a stylesheet sharing
// a slow line with it.
//
// Given by the build:
// - `hearthPkg`: the address of this build's pkg-<hash>/ folder;
// - `HEARTH_CHUNKS`: the wasm files each split point needs, read from the
//   loader wasm-split wrote.
import init from "hearth-glue";
import { fetchEarly } from "./fetch-once.js";

// The main wasm starts downloading at once, while the page is still being read
// (fetch-once.js hands this response to the glue when the app starts).
fetchEarly("hearth-app_bg.wasm");

// A link straight to a screen not in the main wasm (#/notes/new): fetch that
// screen's wasm chunks now, alongside the main wasm. The groups follow
// Group::of in app/src/later.rs. A person's page (#/people/<id>) is not one:
// its top is in the main wasm, which then has the line to itself, and the
// rest of the page asks for its code once the top is painted.
const [first, second, third] = location.hash.replace(/^#\/?/, "").split(/[/?]/);
const person = first === "people" && second && second !== "new" && !third;
const group = "hearth_" + {
  people: !person && "records", notes: "records", checkins: "records", ask: "records",
  visits: "records", medicines: "records", stays: second && "plans", mystays: "plans", follow: "plans",
  following: "plans", more: "more",
}[first];
for (const file of HEARTH_CHUNKS[group] || []) fetchEarly(file);

// The app starts once the static shell has been painted, even when the wasm
// arrives first (a fast connection): a phone then shows the frame at once,
// never a blank screen while the wasm compiles. The wasm is already on its way
// (fetchEarly above). Hidden tabs get no frames, hence the timer.
let started = false;
const start = () => {
  if (started) return;
  started = true;
  init({ module_or_path: new URL("hearth-app_bg.wasm", hearthPkg) });
};
requestAnimationFrame(() => setTimeout(start));
setTimeout(start, 250);
