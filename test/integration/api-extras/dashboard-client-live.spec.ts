import type { Browser, Page } from 'playwright-core';
import { renderDashboardPage } from '../../../apps/api/src/dashboard/dashboard-page.renderer';
import { parseHostQuery } from '../../../apps/api/src/dashboard/host-query';
import { viewHosts } from '../../../apps/api/src/dashboard/host-view';
import { renderRolloutPanel } from '../../../apps/api/src/dashboard/rollout-panel.renderer';
import { viewRollout } from '../../../apps/api/src/dashboard/rollout-view';
import { hostStep, midContractRollout, plannedRollout } from '../../../apps/api/src/dashboard/test-support/rollout-records';
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
async function openPage(browser: Browser, html: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setContent(html.replace('<head>', `<head><script>${FAKE_EVENT_SOURCE}</script>`));
  return page;
}

// Expressions as text: these specs' TypeScript knows no DOM.
const emitOn = (page: Page, type: string, data: unknown) => page.evaluate(`window.__source.emit(${JSON.stringify(type)}, ${JSON.stringify(data)})`);

describe('dashboard client script: live jobs', () => {
  let browser: Browser;
  let page: Page;
  const view = viewHosts([host('h1'), host('h2')], parseHostQuery({}), Date.now());
  const emit = (type: string, data: unknown) => emitOn(page, type, data);
  const cell = (hostId: string) => page.evaluate(`document.querySelector('tr.host[data-host-id="${hostId}"] td.live').textContent`);
  const liveList = () => page.evaluate(`[...document.querySelectorAll('#live-jobs li')].map((li) => li.textContent)`);

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openPage(browser, renderDashboardPage({ view, rollouts: renderRolloutPanel([]), nonce: 'n', csrfToken: 'c', generatedAt: at }));
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

/**
 * The rollout region's script in a real browser: a live update re-renders only the cards that changed,
 * and the keyboard user keeps the focus and the open/closed sections they chose.
 */
describe('dashboard rollout script: live rollouts', () => {
  let browser: Browser;
  let page: Page;
  const view = viewHosts([host('h1')], parseHostQuery({}), Date.now());
  const running = midContractRollout('rl-live');
  const ended = plannedRollout('rl-ended');
  Object.assign(ended.rollout, { state: 'done', phase: 'finished' });
  const panelOf = (...cards: (typeof running)[]) => renderRolloutPanel(cards.map((c) => viewRollout(c.rollout, c.plan)));
  const text = (expression: string) => page.evaluate(expression) as Promise<string>;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openPage(browser, renderDashboardPage({ view, rollouts: panelOf(running, ended), nonce: 'n', csrfToken: 'c', generatedAt: at }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('keeps focus and the sections the user closed, swaps only changed cards, and says the progress', async () => {
    expect(await text(`document.getElementById('rollout-rl-live-waves').open`)).toBe(true);
    await page.focus('#rollout-rl-live-waves-toggle');
    await page.keyboard.press('Enter'); // closes the in-flight rollout's waves
    expect(await text(`document.getElementById('rollout-rl-live-waves').open`)).toBe(false);
    await page.evaluate(`document.getElementById('rollout-rl-ended').dataset.mark = 'same node'`);

    // the runner moves on: kvm2 contracted, kvm4 now in flight
    const next = structuredClone(running);
    next.rollout.version += 1;
    delete next.rollout.hosts['host-2']!.current;
    next.rollout.hosts['host-2']!.layout = 'new';
    next.rollout.hosts['host-4']!.current = hostStep({ stage: 'configure' });
    await emitOn(page, 'rollouts', panelOf(next, ended));

    expect(await text(`document.activeElement.id`)).toBe('rollout-rl-live-waves-toggle');
    expect(await text(`document.getElementById('rollout-rl-live-waves').open`)).toBe(false);
    expect(await text(`document.getElementById('rollout-rl-ended').dataset.mark`)).toBe('same node');
    expect(await text(`document.getElementById('rollout-rl-live').dataset.fp`)).toBe(`rl-live:${next.rollout.version}`);
    expect(await text(`document.querySelector('#rollout-rl-live .chip.host-in-flight').textContent`)).toBe('kvm4 in-flight: contract → new (configure)');
    expect(await text(`document.getElementById('relabel-status').textContent`)).toBe('rollout rl-live in zone zone1 running (phase contract): 2 of 4 hosts contracted, 1 failed, in flight: kvm4');

    // a new rollout comes first, an old one leaves
    const newer = plannedRollout('rl-newer');
    await emitOn(page, 'rollouts', panelOf(newer, next));
    expect(await page.evaluate(`[...document.querySelectorAll('#relabel-list > article')].map((a) => a.id)`)).toEqual(['rollout-rl-newer', 'rollout-rl-live']);
    expect(await text(`document.activeElement.id`)).toBe('rollout-rl-live-waves-toggle');
  });
});
