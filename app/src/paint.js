// When an element is on the screen. A wasm-bindgen snippet, which
// tools/post-build.sh bundles into index.html's start-up module.

// Calls `then` once the element marked elementtiming=`name` has been shown:
// its Element Timing entry, with the time the frame reached the screen. An
// entry from earlier in the page's life counts too, so a screen drawn again
// (the same heading) goes on at once. Browsers without Element Timing get
// three frames instead; and if the element never paints, a second is the
// longest wait.
export function whenShown(name, then) {
  let observer = null;
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    if (observer) observer.disconnect();
    then();
  };
  setTimeout(once, 1000);
  if (!('PerformanceElementTiming' in window)) {
    requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(once))));
    return;
  }
  observer = new PerformanceObserver((list) => {
    if (list.getEntries().some((entry) => entry.identifier === name)) setTimeout(once);
  });
  observer.observe({ type: 'element', buffered: true });
}
