// Serialise JSON byte-for-byte the way Meta encodes webhook bodies (PHP json_encode defaults):
// every non-ASCII UTF-16 code unit as a lowercase \uXXXX escape (so emoji become surrogate pairs,
// `\ud83d\ude2e`), `/` as `\/`, and no whitespace. Receivers must hash these bytes as received;
// a plain JSON.stringify of the parsed object yields different bytes and a different signature.
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications

const nonAscii = /[\u0080-\uffff]/g;

export function metaStringify(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('metaStringify: value is not serialisable to JSON');
  // Both replacements are safe on the serialised text: `/` and non-ASCII characters can only
  // occur inside string literals, where `\/` and `\uXXXX` decode back to the same characters.
  return json
    .replace(nonAscii, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replaceAll('/', '\\/');
}
