/**
 * The fast path for records no matcher wants (97 % of a busy account's traffic): the summary needs only a few
 * top-level strings, so they are read straight from the record's bytes instead of JSON.parse building the
 * whole object. Anything unusual (an escape in a wanted value or a key, a trailing comma, a raw newline, a
 * record without recipientAccountId) gives undefined, and the caller parses the record the ordinary way: the
 * summary is the same either way.
 */
export interface SummaryFields {
  eventSource: string | undefined;
  eventTime: string | undefined;
  awsRegion: string | undefined;
  recipientAccountId: string;
  eventType: string | undefined;
}

const QUOTE = 0x22, BACKSLASH = 0x5c, LBRACE = 0x7b, RBRACE = 0x7d, LBRACK = 0x5b, RBRACK = 0x5d, COMMA = 0x2c, NL = 0x0a;

// The keys that make an object a record (event.ts RECORD_KEYS): two of them must be there, as JSON.parse's
// path requires.
const RECORD_KEYS = new Set(['eventVersion', 'eventSource', 'eventName', 'eventID', 'eventType', 'eventTime']);
const WANTED = new Set(['eventSource', 'eventTime', 'awsRegion', 'recipientAccountId', 'eventType']);
// All of them start with e, a or r; these are their lengths.
const KEY_LENGTHS = new Set([...RECORD_KEYS, ...WANTED].map((k) => k.length));

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** End of the string that starts at `open` (the index of its closing quote), or -1. */
function stringEnd(b: Buffer, open: number): number {
  let j = b.indexOf(QUOTE, open + 1);
  while (j !== -1) {
    let slashes = 0;
    for (let k = j - 1; b[k] === BACKSLASH; k--) slashes++;
    if (slashes % 2 === 0) return j;
    j = b.indexOf(QUOTE, j + 1);
  }
  return -1;
}

export function summaryFields(b: Buffer): SummaryFields | undefined {
  // JSON.parse refuses a raw newline inside a string (seen in published records); rather than find out
  // whether a newline is inside one, leave records with any newline to it.
  if (b.indexOf(NL) !== -1) return undefined;
  let i = 0;
  const n = b.length;
  while (i < n && isSpace(b[i]!)) i++;
  if (b[i] !== LBRACE) return undefined;
  let depth = 0;
  let expectKey = false;
  let pending: string | null = null; // a wanted key whose value comes next
  let recordKeys = 0;
  let backslash = b.indexOf(BACKSLASH); // the next one at or after i; n when there is none
  if (backslash === -1) backslash = n;
  const escaped = (from: number, to: number) => {
    if (backslash < from) {
      backslash = b.indexOf(BACKSLASH, from);
      if (backslash === -1) backslash = n;
    }
    return backslash < to;
  };
  const out: Record<string, string> = {};
  for (; i < n; i++) {
    const c = b[i]!;
    if (c === QUOTE) {
      const end = stringEnd(b, i);
      if (end === -1) return undefined;
      if (depth === 1) {
        if (expectKey) {
          if (escaped(i, end)) return undefined;
          // Most keys are neither wanted nor record keys: tell by length and first letter before making a string.
          const length = end - i - 1;
          const first = b[i + 1];
          if ((first === 0x65 || first === 0x61 || first === 0x72) && KEY_LENGTHS.has(length)) {
            const key = b.toString('latin1', i + 1, end);
            if (RECORD_KEYS.has(key)) recordKeys++;
            pending = WANTED.has(key) ? key : null;
          } else {
            pending = null;
          }
          expectKey = false;
        } else if (pending !== null) {
          if (escaped(i, end)) return undefined;
          out[pending] = b.toString('utf8', i + 1, end);
          pending = null;
        }
      }
      i = end;
      continue;
    }
    if (c === LBRACE || c === LBRACK) {
      depth++;
      if (depth === 1) expectKey = true;
      else if (depth === 2 && pending !== null) return undefined; // a wanted key that is not a string
      continue;
    }
    if (c === RBRACE || c === RBRACK) {
      depth--;
      if (depth === 0) break;
      continue;
    }
    if (c === COMMA) {
      let k = i + 1;
      while (k < n && isSpace(b[k]!)) k++;
      // A trailing comma: JSON.parse would refuse the record, and that must be reported.
      if (b[k] === RBRACE || b[k] === RBRACK || b[k] === COMMA) return undefined;
      if (depth === 1) {
        expectKey = true;
        pending = null;
      }
      continue;
    }
    // A wanted key holding a number, true, false or null: the ordinary path decides what it means (an
    // eventTime of 12 is epoch seconds there).
    if (depth === 1 && pending !== null && !isSpace(c) && c !== 0x3a) return undefined;
  }
  if (depth !== 0 || recordKeys < 2 || out.recipientAccountId === undefined) return undefined;
  return {
    eventSource: out.eventSource,
    eventTime: out.eventTime,
    awsRegion: out.awsRegion,
    recipientAccountId: out.recipientAccountId,
    eventType: out.eventType,
  };
}
