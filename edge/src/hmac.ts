// HMAC-SHA256 and constant-time comparison on WebCrypto only (no Node APIs in the Worker).
// Every check goes through crypto.subtle.verify or timingSafeEqual, never a string `===`, so the
// time taken does not reveal how much of a guess was right.
// https://developers.cloudflare.com/workers/examples/protect-against-timing-attacks/

const encoder = new TextEncoder();

function importHmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [usage],
  );
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): ArrayBuffer | ArrayBufferView {
  return typeof data === "string" ? encoder.encode(data) : data;
}

/** Lowercase hex HMAC-SHA256 of `data` (strings are hashed as UTF-8). */
export async function signHex(
  secret: string,
  data: string | ArrayBuffer | ArrayBufferView,
): Promise<string> {
  const key = await importHmacKey(secret, "sign");
  return bytesToHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, toBytes(data))));
}

/** Whether `hex` is the HMAC-SHA256 of `data`; false for malformed hex. Constant-time. */
export async function verifyHex(
  secret: string,
  data: string | ArrayBuffer | ArrayBufferView,
  hex: string,
): Promise<boolean> {
  const signature = hexToBytes(hex);
  if (signature === null) return false;
  const key = await importHmacKey(secret, "verify");
  return crypto.subtle.verify("HMAC", key, signature, toBytes(data));
}

/**
 * Constant-time equality of two strings of any length: both are hashed first so the comparison
 * always covers 32 bytes, then compared with the runtime's timingSafeEqual.
 */
export async function timingSafeEqualText(a: string, b: string): Promise<boolean> {
  const [hashA, hashB] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(hashA, hashB);
}

export function bytesToHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

export function hexToBytes(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
