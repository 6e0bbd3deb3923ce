// Browser glue for the installable app: service worker updates, the install
// prompt and persistent storage. A wasm-bindgen snippet, which
// tools/post-build.sh bundles into index.html's start-up module.
let deferredPrompt = null;
let updateRequested = false;

// The manifest is linked once the service worker is ready, that is once every
// file of the app is on the phone: the browser then offers to install Hearth
// only when the installed app would open with no signal, and on a first visit
// the manifest's fetch never shares a slow line with the first screen's.
// Stays sent to this phone install as an app of their own, which opens on
// them (follow.webmanifest).
function linkManifest() {
  if (document.querySelector('link[rel="manifest"]')) return;
  document.head.append(Object.assign(document.createElement('link'), {
    rel: 'manifest',
    href: /^#\/follow/.test(location.hash) ? 'follow.webmanifest' : 'manifest.webmanifest',
  }));
}

export function registerServiceWorker(onUpdateReady) {
  if (!('serviceWorker' in navigator)) {
    linkManifest();
    return false;
  }
  navigator.serviceWorker.ready.then(linkManifest);
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (updateRequested) window.location.reload();
  });
  navigator.serviceWorker.register('./sw.js').then((reg) => {
    const notify = () => {
      if (reg.waiting && navigator.serviceWorker.controller) onUpdateReady();
    };
    notify();
    reg.addEventListener('updatefound', () => {
      const worker = reg.installing;
      if (worker) worker.addEventListener('statechange', () => {
        if (worker.state === 'installed') notify();
      });
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') reg.update().catch(() => {});
    });
  }).catch(linkManifest);
  return true;
}

export function applyUpdate() {
  navigator.serviceWorker.getRegistration().then((reg) => {
    if (reg && reg.waiting) {
      updateRequested = true;
      reg.waiting.postMessage('skip-waiting');
    } else {
      window.location.reload();
    }
  });
}

export function listenForInstall(onAvailable, onInstalled) {
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    deferredPrompt = event;
    onAvailable();
  });
  window.addEventListener('appinstalled', () => {
    deferredPrompt = null;
    onInstalled();
  });
}

export async function promptInstall() {
  if (!deferredPrompt) return false;
  const prompt = deferredPrompt;
  deferredPrompt = null;
  prompt.prompt();
  const choice = await prompt.userChoice;
  return choice.outcome === 'accepted';
}

export function isStandalone() {
  return window.matchMedia('(display-mode: standalone)').matches || navigator.standalone === true;
}

export function isIos() {
  return /iPad|iPhone|iPod/.test(navigator.userAgent)
    || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
}

// Resolves to true, false, or undefined where the browser can't tell.
export async function persisted() {
  if (!navigator.storage || !navigator.storage.persisted) return undefined;
  return navigator.storage.persisted();
}

export async function requestPersist() {
  if (!navigator.storage || !navigator.storage.persist) return undefined;
  return navigator.storage.persist();
}

// Resolves to [used bytes, quota bytes], or undefined.
export async function estimate() {
  if (!navigator.storage || !navigator.storage.estimate) return undefined;
  const e = await navigator.storage.estimate();
  return [e.usage || 0, e.quota || 0];
}

// Shares a file through the phone's share sheet where the browser can;
// resolves to 'shared', 'cancelled' or 'unsupported' (the caller downloads).
export async function shareFile(name, type, text) {
  try {
    const file = new File([text], name, { type });
    if (!navigator.canShare || !navigator.canShare({ files: [file] })) return 'unsupported';
    await navigator.share({ files: [file], title: name });
    return 'shared';
  } catch (e) {
    return e && e.name === 'AbortError' ? 'cancelled' : 'unsupported';
  }
}

// Shares text as a message, or copies it; resolves to 'shared', 'copied',
// 'cancelled' or 'failed'.
export async function shareText(title, text) {
  if (navigator.share) {
    try {
      await navigator.share({ title, text });
      return 'shared';
    } catch (e) {
      if (e && e.name === 'AbortError') return 'cancelled';
    }
  }
  try {
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch (e) {
    return 'failed';
  }
}
