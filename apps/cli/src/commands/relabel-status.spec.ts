import { planRelabel, type RelabelPlan } from '@hostnet/relabel';
import { buildZone } from '../../../../libs/relabel/test-support/zone-builder';
import { EVIL, midContractRollout, plannedRollout, ROLLOUT_REQUEST } from '../../../api/src/dashboard/test-support/rollout-records';
import type { RelabelRollout } from '../../../api/src/relabels/relabel-rollout.types';
import { newRollout } from '../../../api/src/relabels/rollout-record.factory';
import { rolloutProgress } from '../../../api/src/relabels/rollout-progress';
import { closeFakeApis, relabelHarness } from '../../test-support/relabel-harness';
import { describeRollout, type RolloutView } from './relabel-report';

afterEach(closeFakeApis);

/** What GET /relabels/:id answers for a record (RelabelsService.view), through JSON as the cli gets it. */
const viewOf = ({ rollout, plan }: { rollout: RelabelRollout; plan: RelabelPlan }): RolloutView =>
  JSON.parse(JSON.stringify({ ...rollout, plan, calls: [], progress: rolloutProgress(rollout, plan) })) as RolloutView;

const TTY = { columns: 200 };
const WATCH = { intervalMs: 5, misses: 2 };
const ESC = '\u001b';

/** Answers GET /relabels/:id with each view in turn (the last one again once they ran out); an Error is a 503. */
function sequence(views: (RolloutView | Error)[]) {
  let i = 0;
  return () => {
    const next = views[Math.min(i++, views.length - 1)]!;
    return next instanceof Error ? { status: 503, body: { message: next.message } } : { status: 200, body: next };
  };
}

describe('hostnet relabel status', () => {
  it('on a terminal: failed hosts, hosts in flight, then a bar per wave in the order they run', async () => {
    const records = midContractRollout();
    records.rollout.hosts['host-2']!.hostName = `kvm2${ESC}[2J`;
    records.rollout.hosts['host-2']!.current!.runId = 'run-2';
    const h = await relabelHarness(() => ({ status: 200, body: viewOf(records) }), { tty: TTY });
    expect(await h.run(['status', '--id', 'rl-spec'])).toBe(0);
    expect(h.sent().map((s) => `${s.method} ${s.url}`)).toEqual(['GET /relabels/rl-spec']);
    expect(h.out.join('').split('\n')).toEqual([
      'rollout rl-spec: running (phase contract)',
      '  4 hosts · 4 expanded · 1 contracted · 1 failed · 1 in flight',
      'failed:',
      `  ! ${EVIL}  contract (run run-3 rolled-back): verification failed: ${EVIL}`,
      'in flight:',
      '  > kvm2?[2J  contract → new (maintenance) (run run-2 running)',
      'waves (hosts contracted):',
      '  canary 1  [##########] 1/1',
      '  wave 2    [----------] 0/2  1 failed, 1 in flight',
      '  wave 3    [----------] 0/1',
      '',
    ]);
  });

  it('counts expanded hosts while the rollout expands, and fits every line to the terminal', async () => {
    const records = plannedRollout();
    Object.assign(records.rollout, { state: 'running', phase: 'expand', reason: 'x'.repeat(300) });
    records.rollout.hosts['host-2']!.layout = 'both';
    const h = await relabelHarness(() => ({ status: 200, body: viewOf(records) }), { tty: { columns: 40 } });
    expect(await h.run(['status', '--id', 'rl-spec'])).toBe(0);
    const lines = h.out.join('').split('\n');
    expect(lines[0]).toBe(`${`rollout rl-spec: running (phase expand) — ${'x'.repeat(300)}`.slice(0, 39)}…`);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(lines).toContain('waves (hosts expanded):');
    expect(lines).toContain('  wave 2    [#####-----] 1/2');
  });

  it('keeps a window of the waves around the first unfinished one when there are many', async () => {
    const zone = buildZone({ clusterSizes: [20] });
    const hostFacts = Object.fromEntries(zone.hosts.map((x) => [x.id, { backend: 'ovs' as const }]));
    const plan = planRelabel({ topology: zone, changes: ROLLOUT_REQUEST.changes, strategy: { canary: 1, maxUnavailable: 1 }, hostFacts });
    const rollout = newRollout(plan, zone, ROLLOUT_REQUEST, 'rl-big');
    Object.assign(rollout, { state: 'running', phase: 'contract' });
    for (const wave of plan.waves.slice(0, 6)) for (const step of wave.steps) rollout.hosts[step.hostId]!.layout = 'new';
    const h = await relabelHarness(() => ({ status: 200, body: viewOf({ rollout, plan }) }), { tty: TTY });
    expect(await h.run(['status', '--id', 'rl-big'])).toBe(0);
    const waves = h.out.join('').split('waves (hosts contracted):\n')[1]!.trimEnd().split('\n');
    expect(plan.waves).toHaveLength(20);
    expect(waves[0]).toBe('  … 4 earlier waves');
    expect(waves[1]).toMatch(/^ {2}wave 5 +\[#{10}\] 1\/1$/);
    expect(waves[3]).toMatch(/^ {2}wave 7 +\[-{10}\] 0\/1$/);
    expect(waves.slice(1, -1)).toHaveLength(12);
    expect(waves.at(-1)).toBe('  … 4 more waves');
  });

  it('not on a terminal, prints the plain text scripts read, and --json the answer as it came', async () => {
    const view = viewOf(midContractRollout());
    const h = await relabelHarness(() => ({ status: 200, body: view }));
    expect(await h.run(['status', '--id', 'rl-spec'])).toBe(0);
    expect(h.out.pop()).toBe(describeRollout(view));
    expect(h.out.length).toBe(0);
    const tty = await relabelHarness(() => ({ status: 200, body: view }), { tty: TTY });
    expect(await tty.run(['status', '--id', 'rl-spec', '--json'])).toBe(0);
    expect(JSON.parse(tty.out.join(''))).toEqual(view);
    expect(await h.run(['show', '--id', 'rl-spec', '--watch'])).toBe(2);
    expect(h.err.pop()).toMatch(/unknown option --watch/);
  });

  it('--watch on a terminal redraws in place whenever the rollout changed, through an api miss, until it is done', async () => {
    const expanding = plannedRollout();
    Object.assign(expanding.rollout, { state: 'running', phase: 'expand' });
    const middle = midContractRollout();
    const done = plannedRollout();
    Object.assign(done.rollout, { state: 'done', phase: 'finished' });
    for (const host of Object.values(done.rollout.hosts)) host.layout = 'new';
    const h = await relabelHarness(sequence([viewOf(expanding), viewOf(middle), new Error('api restarting'), viewOf(middle), viewOf(done)]), { tty: TTY, watch: WATCH });
    expect(await h.run(['status', '--id', 'rl-spec', '--watch'])).toBe(0);
    expect(h.sent()).toHaveLength(5);
    expect(h.out).toHaveLength(3); // unchanged answers and the miss draw nothing
    // each redraw goes up as many lines as the frame before it had, clears them and draws the new frame
    const frames = h.out.map((text) => /^(?:\u001b\[(\d+)A\r\u001b\[J)?([\s\S]*)$/.exec(text)!);
    expect(frames.map((f) => f[1])).toEqual([undefined, String(frames[0]![2]!.split('\n').length - 1), String(frames[1]![2]!.split('\n').length - 1)]);
    expect(frames.every((f) => !f[2]!.includes(ESC))).toBe(true);
    expect(h.out[2]).toContain('rollout rl-spec: done (phase finished)');
    expect(h.out[2]).toContain('  wave 2    [##########] 2/2');
  });

  it('--watch not on a terminal prints each change as plain text and fails once the rollout ended aborted', async () => {
    const middle = viewOf(midContractRollout());
    const aborted = viewOf(midContractRollout());
    Object.assign(aborted, { state: 'aborted', phase: 'finished', reason: 'abortAfter (1) reached: kvm3 failed' });
    const h = await relabelHarness(sequence([middle, aborted]), { watch: WATCH });
    expect(await h.run(['status', '--id', 'rl-spec', '--watch'])).toBe(2);
    expect(h.out).toEqual([describeRollout(middle), describeRollout(aborted)]);
    expect(h.out.join('')).not.toContain(ESC);
    expect(h.err).toEqual(['hostnet relabel: rollout rl-spec ended aborted: abortAfter (1) reached: kvm3 failed\n']);
  });

  it('--watch gives up after the api missed the configured number of reads in a row, and at once when the first read fails', async () => {
    const h = await relabelHarness(sequence([viewOf(midContractRollout()), new Error('down'), new Error('down')]), { watch: WATCH });
    expect(await h.run(['status', '--id', 'rl-spec', '--watch'])).toBe(2);
    expect(h.sent()).toHaveLength(3);
    expect(h.err.pop()).toMatch(/GET \/relabels\/rl-spec answered 503: down/);
    const first = await relabelHarness(sequence([new Error('down')]), { watch: WATCH });
    expect(await first.run(['status', '--id', 'rl-spec', '--watch'])).toBe(2);
    expect(first.sent()).toHaveLength(1);
  });
});
