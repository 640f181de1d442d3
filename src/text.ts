/**
 * Log fields are attacker-controlled (user names come from external IdPs), so nothing from a log reaches a
 * terminal with its control characters intact: ESC would let it recolour, retitle or clear the screen, and
 * OSC 8 would plant links. C0 and C1 controls, DEL and the bidirectional overrides are shown as escapes.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function safeText(value: string): string {
  return value.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Byte order (code unit order), the same on every machine and locale: output that diffs clean. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
