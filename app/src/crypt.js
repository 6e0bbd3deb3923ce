// WebCrypto for the PIN lock. A random AES-GCM data key encrypts records; it is
// stored only wrapped by a key derived from the PIN (PBKDF2-SHA256). Unwrapped,
// it is a non-extractable CryptoKey held in memory until the app locks.
// A wasm-bindgen snippet, which tools/post-build.sh bundles into index.html's
// start-up module.
const text = new TextEncoder();
const words = new TextDecoder();

async function keyFromPin(pin, salt, iterations) {
  const base = await crypto.subtle.importKey('raw', text.encode(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

async function wrapWith(dataKey, pin, iterations) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const kek = await keyFromPin(pin, salt, iterations);
  const wrapped = await crypto.subtle.wrapKey('raw', dataKey, kek, { name: 'AES-GCM', iv });
  const wrapping = {
    salt: Array.from(salt),
    iterations,
    iv: Array.from(iv),
    wrapped: Array.from(new Uint8Array(wrapped)),
  };
  return { wrapping, kek };
}

function unwrapWith(kek, wrapping, extractable) {
  return crypto.subtle.unwrapKey(
    'raw',
    new Uint8Array(wrapping.wrapped),
    kek,
    { name: 'AES-GCM', iv: new Uint8Array(wrapping.iv) },
    { name: 'AES-GCM', length: 256 },
    extractable,
    ['encrypt', 'decrypt'],
  );
}

// A new data key wrapped with the PIN: { wrapping, key } (key not extractable).
export async function newKey(pin, iterations) {
  const dataKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  const { wrapping, kek } = await wrapWith(dataKey, pin, iterations);
  const key = await unwrapWith(kek, wrapping, false);
  return { wrapping, key };
}

// The data key, or null when the PIN is wrong (AES-GCM refuses to unwrap).
export async function unlockKey(pin, wrapping, extractable) {
  const kek = await keyFromPin(pin, new Uint8Array(wrapping.salt), wrapping.iterations);
  try {
    return await unwrapWith(kek, wrapping, extractable);
  } catch (e) {
    if (e && e.name === 'OperationError') return null;
    throw e;
  }
}

// The same data key wrapped with a new PIN, or null when the old PIN is wrong.
export async function rewrap(oldPin, newPin, wrapping) {
  const dataKey = await unlockKey(oldPin, wrapping, true);
  if (dataKey === null) return null;
  return (await wrapWith(dataKey, newPin, wrapping.iterations)).wrapping;
}

// The row's id, bound to its ciphertext so rows cannot be swapped.
function aad(row) {
  return text.encode(String(row.rec.id));
}

// Rows { rec, k } in, rows { rec: { id, rev }, enc: { iv, ct }, k } out.
// Already encrypted rows pass through.
export function sealRows(key, rows) {
  return Promise.all(rows.map(async (row) => {
    if (row.enc) return row;
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: aad(row) },
      key,
      text.encode(JSON.stringify(row.rec)),
    );
    const sealed = { rec: { id: row.rec.id, rev: row.rec.rev }, enc: { iv, ct: new Uint8Array(ct) } };
    if (row.k !== undefined) sealed.k = row.k;
    return sealed;
  }));
}

// The reverse of sealRows; clear rows pass through.
export function openRows(key, rows) {
  return Promise.all(rows.map(async (row) => {
    if (!row || !row.enc) return row;
    const clear = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: row.enc.iv, additionalData: aad(row) },
      key,
      row.enc.ct,
    );
    const opened = { rec: JSON.parse(words.decode(clear)) };
    if (row.k !== undefined) opened.k = row.k;
    return opened;
  }));
}
