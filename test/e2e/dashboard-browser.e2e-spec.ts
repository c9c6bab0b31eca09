import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, waitInPage } from '../support/chromium';
import { PipelineHarness } from '../support/pipeline-harness';

/** Screenshots of each step, for people (and the README); test-output/ is gitignored. */
const SHOTS = join(__dirname, '..', '..', 'test-output', 'dashboard');

/**
 * The dashboard in a real browser (Debian's chromium, headless) against a real api and worker,
 * simulated CloudStack and KVM hosts, real Redis: what an operator does, step by step.
 */
describe('dashboard in a browser', () => {
  let h: PipelineHarness;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let kvm1: string;
  let kvm2: string;
  const requested: string[] = [];
  const row = (id: string) => `#host-rows tr.host[data-host-id="${id}"]`;
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    h = await PipelineHarness.start({ hosts: 3, personas: ['ubuntu2204'], env: { POLL_INTERVAL_MS: '0' } });
    kvm1 = h.host('kvm1').id;
    kvm2 = h.host('kvm2').id;
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    // One host already configured, so the first page has something to show.
    await h.configure(kvm1, { requestedBy: 'e2e-browser' });
    await h.waitForPhase(kvm1, 'enabled', 'e2e-browser', 60_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('logs in with the token once: it leaves the address bar for an HttpOnly cookie', async () => {
    await page.goto(`${h.apiUrl}/dashboard?token=${encodeURIComponent(h.env.API_TOKEN!)}`);
    expect(page.url()).toBe(`${h.apiUrl}/dashboard`);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'hostnet_token')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies.find((c) => c.name === 'hostnet_dashboard_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.waitForSelector(`${row(kvm1)}[data-phase="enabled"]`);
    await waitInPage(page, `document.getElementById('conn').textContent === 'live'`);
    expect(await page.evaluate('document.cookie')).toBe(''); // scripts never see the token
    await shot('01-logged-in');
  }, 30_000);

  it('shows a host change phase live, within 2 s of its record, first in the table once it failed', async () => {
    await page.evaluate('window.stayed = true');
    h.host('kvm2').kvm.faults.failCommand = /^netplan apply$/;
    await h.configure(kvm2, { requestedBy: 'e2e-browser-fail' });
    // kvm2 was never seen: it joins the table live (queued), then turns failed.
    await page.waitForSelector(row(kvm2), { timeout: 30_000 });
    await page.waitForSelector(`${row(kvm2)}[data-phase="failed"]`, { timeout: 60_000 });
    const shownAt = Date.now();
    const { latest } = (await h.view(kvm2))!;
    expect(latest.phase).toBe('failed');
    const lag = shownAt - Date.parse(latest.at);
    process.stdout.write(`dashboard browser: kvm2 shown failed ${lag} ms after its record\n`);
    expect(lag).toBeLessThan(2_000);
    expect(await page.evaluate('window.stayed')).toBe(true); // no reload
    expect(await page.getAttribute('#host-rows tr.host:first-child', 'data-host-id')).toBe(kvm2);
    expect(await page.textContent('#counts')).toMatch(/1\s*need attention/);
    await shot('02-live-failed');
  }, 90_000);

  it('filters to failed hosts on the server', async () => {
    await page.selectOption('select[name="phase"]', 'failed');
    await waitInPage(page, `new URL(location.href).searchParams.get('phase') === 'failed'`);
    await waitInPage(page, `document.body.getAttribute('data-matched') === '1'`);
    const phases = await page.evaluate(`[...document.querySelectorAll('#host-rows tr.host')].map((r) => r.getAttribute('data-phase'))`);
    expect(phases).toEqual(['failed']);
    expect(await page.textContent('#pager')).toContain('1–1 of 1 matching (2 in all)');
    await shot('03-filter-failed');
  }, 30_000);

  it('opens the drawer from the keyboard: the failed step and its output, checks, the diff; Escape closes it', async () => {
    await page.focus(`[data-open-host="${kvm2}"]`);
    await page.keyboard.press('Enter');
    await waitInPage(page, `document.activeElement.id === 'drawer-title'`);
    const drawer = await page.textContent('#drawer');
    expect(drawer).toContain('Failed step: netplan-apply (exit 1)');
    expect(drawer).toContain('Verification');
    // the failed step was rolled back at once: the proof the host is back, before the diff it undid (as hostnet host)
    const proof = '#drawer details.run[open] section.restore-proof';
    expect(await page.textContent(proof)).toMatch(/^The host restored its previous configuration at .*, checked:/);
    expect(await page.locator(`${proof} tr.pass td:nth-child(2)`).allTextContents()).toEqual(expect.arrayContaining(['files restored']));
    expect(drawer!.indexOf('The host restored its previous configuration')).toBeLessThan(drawer!.lastIndexOf('Diff'));
    expect(await page.locator('#drawer details.run[open] .diff-file').count()).toBeGreaterThan(0);
    expect(await page.locator('#drawer details.run[open] ol.timeline .stage').allTextContents()).toEqual(
      expect.arrayContaining(['trigger', 'queued', 'failed']),
    );
    await shot('04-drawer-failed');
    await page.keyboard.press('Escape');
    await waitInPage(page, `!document.getElementById('drawer').open`);
    expect(await page.evaluate(`document.activeElement.getAttribute('data-open-host')`)).toBe(kvm2);
  }, 30_000);

  it('runs a dry-run through the confirmation, then reads its unified diff in the drawer', async () => {
    // focus came back to kvm2's button (the test above), but a live update may have re-rendered its row since
    await page.focus(`[data-open-host="${kvm2}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#drawer[open] [data-action="dry-run"]');
    await page.click('#drawer [data-action="dry-run"]');
    await page.waitForSelector('#confirm[open]');
    expect(await page.evaluate('document.activeElement.id')).toBe('confirm-cancel'); // the safe choice has focus
    expect(await page.textContent('#confirm-title')).toBe('Dry-run kvm2?');
    await shot('05-confirm-dry-run');
    await page.click('#confirm-go');
    await waitInPage(page, `/^Dry-run queued/.test(document.getElementById('action-status').textContent)`);
    await page.waitForSelector('#drawer details.run[open] pre.diff .add', { timeout: 60_000 });
    expect(await page.textContent('#drawer details.run[open] summary')).toContain('dry-run');
    expect(await page.textContent('#drawer details.run[open] pre.diff')).toMatch(/^\+.*cloudbr0/m);
    // The host still stands failed: a dry-run says what would change, not where the host is.
    expect((await h.view(kvm2))!.latest).toMatchObject({ phase: 'failed', dryRun: true, outcome: { status: 'dry-run' }, trigger: { kind: 'operator', by: 'dashboard' } });
    await shot('06-dry-run-diff');
    await page.keyboard.press('Escape');
  }, 90_000);

  it('refuses an action without the CSRF token (403), from the page and from outside it', async () => {
    const runs = (await h.view(kvm2))!.history.length;
    // Same-origin fetches from the page itself, so the browser sends both cookies.
    const statuses = await page.evaluate(`(async () => {
      const post = (headers) => fetch('/dashboard/hosts/${kvm2}/dry-run', { method: 'POST', headers }).then((r) => r.status);
      return [await post({}), await post({ 'x-csrf-token': 'forged-token-forged-token-forged-token-xxxx' })];
    })()`);
    expect(statuses).toEqual([403, 403]);
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const outside = await fetch(`${h.apiUrl}/dashboard/hosts/${kvm2}/configure`, { method: 'POST', headers: { cookie } });
    expect(outside.status).toBe(403);
    expect((await outside.json()) as { message: string }).toMatchObject({ message: expect.stringMatching(/^CSRF check failed: missing x-csrf-token/) });
    expect((await h.view(kvm2))!.history).toHaveLength(runs);
  }, 30_000);

  it('fetched nothing from anywhere but the api (styles and scripts are served inline)', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((u) => !u.startsWith(`${h.apiUrl}/dashboard`))).toEqual([]);
  });
});
