import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (installed by .ci/install-system-deps); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless chromium through playwright-core, which downloads no browser. A missing browser fails
 * the spec with the fix, never skips it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no browser at ${CHROMIUM_PATH}: run 'sudo .ci/install-system-deps' (installs Debian's chromium), or set CHROMIUM_PATH`);
  }
  // Chromium's sandbox refuses to run as root (CI containers); as any other user it stays on.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
}

/**
 * Polls a JavaScript expression in the page until it is truthy. Unlike page.waitForFunction with a
 * string, this evaluates over the DevTools protocol, so the page keeps its strict CSP (no eval).
 */
export async function waitInPage(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`the page never satisfied \`${expression}\` within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
