import type { Application } from 'express';

type Render = (path: string, options: object, callback: (error: Error | null, html?: string) => void) => void;

/** A `<link>` to another origin: Bull Board's page loads its fonts from fonts.googleapis.com. */
const EXTERNAL_LINK = /<link\b[^>]*\bhref="(?:https?:)?\/\/[^"]*"[^>]*>\s*/gi;

/**
 * Bull Board's page without what it fetches from other origins. The api's CSP (font-src/style-src
 * 'self') refused the Google Fonts stylesheet on every load, and the admin page should not call out
 * of the network anyway: the page falls back to its own sans-serif. Wraps the board's own view engine
 * (ejs), so a Bull Board upgrade that renames its assets keeps working.
 */
export function withoutExternalOrigins(board: Application): void {
  const engines = (board as unknown as { engines: Record<string, Render | undefined> }).engines;
  const render = engines['.ejs'];
  if (!render) throw new Error('Bull Board has no ejs view engine to wrap: check the @bull-board/express version');
  board.engine('ejs', (path, options, callback) => render(path, options, (error, html) => callback(error, html?.replace(EXTERNAL_LINK, ''))));
}
