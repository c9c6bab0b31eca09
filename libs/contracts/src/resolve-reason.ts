/**
 * The characters an operator's resolve reason may hold. It is journaled on the host, so api refuses
 * anything else, the worker checks again before the SSH round trip, and the host script filters its
 * input to the same set with `tr -cd` (a bracket-expression body: valid for tr and inside a RegExp
 * class, the final `-` literal in both).
 */
export const RESOLVE_REASON_CHARS = 'A-Za-z0-9 .,:;_@+#()/=-';

/** RESOLVE_REASON_CHARS as people read it, for error messages. */
export const RESOLVE_REASON_CHARS_TEXT = 'ASCII letters, digits, space and . , : ; _ @ + # ( ) / = -';

/** True when every character of `text` is in RESOLVE_REASON_CHARS (and there is at least one). */
export function isResolveReasonText(text: string): boolean {
  return RESOLVE_REASON_PATTERN.test(text);
}

const RESOLVE_REASON_PATTERN = new RegExp(`^[${RESOLVE_REASON_CHARS}]+$`);

/** The characters of `text` outside RESOLVE_REASON_CHARS, each once and quoted (JSON), for an error message. */
export function resolveReasonRefused(text: string): string {
  const outside = new RegExp(`[^${RESOLVE_REASON_CHARS}]`, 'gu');
  return [...new Set(text.match(outside) ?? [])].map((c) => JSON.stringify(c)).join(' ');
}
