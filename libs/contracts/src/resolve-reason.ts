/**
 * The characters an operator's resolve reason may hold. It is journaled on the host, so api refuses
 * anything else, the worker checks again before the SSH round trip, and the host script filters its
 * input to the same set with `tr -cd` (a bracket-expression body: valid for tr and inside a RegExp
 * class, the final `-` literal in both).
 */
export const RESOLVE_REASON_CHARS = 'A-Za-z0-9 .,:;_@+#()/=-';

/** RESOLVE_REASON_CHARS as people read it, for error messages. */
export const RESOLVE_REASON_CHARS_TEXT = 'letters, digits, space and . , : ; _ @ + # ( ) / = -';

/** True when every character of `text` is in RESOLVE_REASON_CHARS (and there is at least one). */
export function isResolveReasonText(text: string): boolean {
  return RESOLVE_REASON_PATTERN.test(text);
}

const RESOLVE_REASON_PATTERN = new RegExp(`^[${RESOLVE_REASON_CHARS}]+$`);
