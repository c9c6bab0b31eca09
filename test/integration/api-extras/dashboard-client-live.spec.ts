import type { Browser, Page } from 'playwright-core';
import { renderDashboardPage } from '../../../apps/api/src/dashboard/dashboard-page.renderer';
import { parseHostQuery } from '../../../apps/api/src/dashboard/host-query';
import { viewHosts } from '../../../apps/api/src/dashboard/host-view';
import type { HostStatusRecord } from '../../../apps/api/src/hosts/host-status.types';
import { launchChromium } from '../../support/chromium';

const at = new Date().toISOString();
const host = (hostId: string): HostStatusRecord => ({ hostId, hostName: `kvm-${hostId}`, zoneId: 'z1', clusterId: 'c1', phase: 'enabled', at });

/** EventSource stood in by the page itself: the spec dispatches the events api would send. */
const FAKE_EVENT_SOURCE = `
  window.__source = null;
  window.EventSource = class {
    constructor(url) { this.url = url; this.listeners = {}; window.__source = this; }
    addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
    close() {}
    emit(type, data) { (this.listeners[type] || []).forEach((fn) => fn({ data: JSON.stringify(data) })); }
  };`;

/**
 * The dashboard's table script in a real browser, fed live job events: only running jobs are kept,
 * so a finished one neither lingers in the live list nor comes back on a row after a re-render.
 */
describe('dashboard client script: live jobs', () => {
  let browser: Browser;
  let page: Page;
  const view = viewHosts([host('h1'), host('h2')], parseHostQuery({}), Date.now());
  // Expressions as text: this spec's TypeScript knows no DOM.
  const emit = (type: string, data: unknown) => page.evaluate(`window.__source.emit(${JSON.stringify(type)}, ${JSON.stringify(data)})`);
  const cell = (hostId: string) => page.evaluate(`document.querySelector('tr.host[data-host-id="${hostId}"] td.live').textContent`);
  const liveList = () => page.evaluate(`[...document.querySelectorAll('#live-jobs li')].map((li) => li.textContent)`);

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    const html = renderDashboardPage({ view, nonce: 'n', csrfToken: 'c', generatedAt: at });
    await page.setContent(html.replace('<head>', `<head><script>${FAKE_EVENT_SOURCE}</script>`));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('lists running jobs, drops finished ones, and keeps a finished job off rows re-rendered later', async () => {
    const serverRows = await page.evaluate(`document.getElementById('host-rows').innerHTML`);
    await emit('active', { state: 'active', jobId: 'host-h1', hostId: 'h1' });
    await emit('progress', { state: 'progress', jobId: 'host-h2', hostId: 'h2', progress: { step: 'apply', percent: 40 } });
    expect(await liveList()).toEqual(['h1 (host-h1): running', 'h2 (host-h2): running: apply 40%']);

    await emit('completed', { state: 'completed', jobId: 'host-h1', hostId: 'h1', status: 'applied' });
    expect(await cell('h1')).toBe('completed (applied)');
    expect(await liveList()).toEqual(['h2 (host-h2): running: apply 40%']);

    await emit('failed', { state: 'failed', jobId: 'host-h2', hostId: 'h2', reason: 'ssh lost' });
    expect(await liveList()).toEqual(['no job running']);
    expect(await cell('h1')).toBe('completed (applied)');

    // A fresh page of rows: nothing is running, so no row gets a finished job's word back.
    await emit('page', { rows: serverRows, counts: '', pager: '', at, matched: 2 });
    expect(await cell('h1')).toBe('');
    expect(await cell('h2')).toBe('');
  });
});
