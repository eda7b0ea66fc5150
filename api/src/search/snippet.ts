// Snippets: a short piece of the text with where the search matched, as ranges — never markup, so a
// client shows the text escaped and marks the ranges itself. Offsets count UTF-16 code units (a
// JavaScript string's indices).

export interface Highlight {
  start: number;
  end: number;
}

export interface Snippet {
  text: string;
  highlights: Highlight[];
}

const START = '\u0002';
const STOP = '\u0003';
/** Texts up to this long are shown whole; longer ones are cut around the first hit. */
export const SNIPPET_LENGTH = 200;

/** The ranges ts_headline marked in one reading of `text`, or none when the marking does not fit it. */
export function markedRanges(marked: string, text: string): Highlight[] {
  const ranges: Highlight[] = [];
  let offset = 0;
  let open: number | null = null;
  for (const char of marked) {
    if (char === START) open = offset;
    else if (char === STOP) {
      if (open !== null && offset > open) ranges.push({ start: open, end: offset });
      open = null;
    } else offset += char.length;
  }
  return offset === text.length ? ranges : [];
}

/** Overlapping or touching ranges become one; sorted. */
export function mergeRanges(ranges: Highlight[]): Highlight[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Highlight[] = [];
  for (const r of sorted) {
    const last = merged.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

/** A message's snippet from its text and each reading's marked headline. */
export function messageSnippet(text: string, marked: string[], length = SNIPPET_LENGTH): Snippet {
  return excerpt(text, mergeRanges(marked.flatMap((m) => markedRanges(m, text))), length);
}

/**
 * At most about `length` characters: the whole text when short, else a window starting a little before
 * the first hit, cut at spaces, with an ellipsis where text was left out.
 */
export function excerpt(text: string, highlights: Highlight[], length = SNIPPET_LENGTH): Snippet {
  if (text.length <= length) return { text, highlights };
  const first = highlights[0]?.start ?? 0;
  let start = Math.max(0, first - Math.floor(length / 4));
  let end = Math.min(text.length, start + length);
  if (end === text.length) start = Math.max(0, end - length);
  // Whole words: move the cuts to the nearest space inside the window.
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space !== -1 && space < first) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    const lastHit = highlights.filter((h) => h.start < end).at(-1);
    if (space > start && space >= (lastHit?.end ?? start)) end = space;
  }
  // Never split a surrogate pair.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
  const before = start > 0 ? '…' : '';
  const after = end < text.length ? '…' : '';
  const shift = before.length - start;
  return {
    text: before + text.slice(start, end) + after,
    highlights: highlights
      .filter((h) => h.end > start && h.start < end)
      .map((h) => ({ start: Math.max(h.start, start) + shift, end: Math.min(h.end, end) + shift })),
  };
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Lower case without accents, one character at a time, with where each folded character came from. */
function fold(text: string): { folded: string; from: number[] } {
  let folded = '';
  const from: number[] = [];
  let i = 0;
  for (const char of text) {
    const f = char.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (let k = 0; k < f.length; k++) from.push(i);
    folded += f;
    i += char.length;
  }
  from.push(i);
  return { folded, from };
}

/** Where `typed` occurs in `text`, ignoring case and accents (as the contact search compares names). */
export function findFolded(text: string, typed: string): Highlight | null {
  const t = fold(text);
  const q = fold(typed.trim()).folded;
  if (!q) return null;
  const at = t.folded.indexOf(q);
  if (at === -1) return null;
  return { start: t.from[at]!, end: t.from[at + q.length]! };
}

/**
 * A contact hit's snippet: the name with the part that matched, or the phone number (+ and its digits)
 * with the digits that matched, or the BSUID. A name found only as similar (a typo) is shown unmarked.
 */
export function contactSnippet(
  contact: { displayName: string | null; waId: string | null; userId: string | null },
  search: { text: string; digits: string | null },
): Snippet {
  if (contact.displayName) {
    const hit = findFolded(contact.displayName, search.text);
    if (hit) return { text: contact.displayName, highlights: [hit] };
  }
  if (search.digits && contact.waId) {
    const at = contact.waId.indexOf(search.digits);
    if (at !== -1) return { text: `+${contact.waId}`, highlights: [{ start: at + 1, end: at + 1 + search.digits.length }] };
  }
  if (contact.userId && contact.userId === search.text.trim()) {
    return { text: contact.userId, highlights: [{ start: 0, end: contact.userId.length }] };
  }
  return { text: contact.displayName ?? (contact.waId ? `+${contact.waId}` : (contact.userId ?? '')), highlights: [] };
}
