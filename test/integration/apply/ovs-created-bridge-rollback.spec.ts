import { writeFileSync } from 'node:fs';
import type { HostNetworkIntent, LiveState } from '@hostnet/intent';
import { expectedLiveState } from '@hostnet/intent';
import type { RenderedConfig } from '@hostnet/render';
import { planOvsTransition } from '../../../libs/render/src/transition/ovs-transition.planner';
import { ubuntuOvsIntent } from '../../../libs/render/test/fixtures/reference-intents';
import { renameBridge } from '../../../libs/render/test/support/intent-variants';
import { ovsLiveOf } from '../../../libs/render/test/support/ovs-live-of';
import { usePrivateOvsdb } from '../../support/private-ovsdb';
import { applyWithoutConfirm } from './support/host-scripts';
import { LocalHostSession } from './support/local-host-session';
import { OLD_INTERFACES, SimRoot } from './support/sim-root';

/**
 * A bridge a run made that a VM's tap joined before the rollback (the CloudStack agent plugs taps in as soon
 * as the bridge its label names exists) stays, with the tap: the run's real apply and restore scripts on a real
 * (userspace, DB-only) ovsdb-server, the rollback started at once as after a failed verification. Everything
 * else the run changed is put back, and the journal says what was kept and why.
 */
const NS = `hnkeptbr${process.pid}`;
const base = ubuntuOvsIntent;
const NEW_FILE = 'auto lo\niface lo inet loopback\n# hostnet\n';

describe("a rollback keeps a bridge the run made once a port hostnet does not own is on it (real ovs-vsctl, real restore.sh)", () => {
  const { ovs, wrapper } = usePrivateOvsdb('hostnet-ovs-kept-', NS);
  /** Every bridge with its ports, sorted, and a fake bridge's parent and VLAN. */
  const bridges = (): Record<string, string> =>
    Object.fromEntries(
      ovs('list-br')
        .split('\n')
        .filter(Boolean)
        .map((b) => {
          const parent = ovs('br-to-parent', b).trim();
          const on = parent === b ? '' : ` on ${parent}/${ovs('br-to-vlan', b).trim()}`;
          return [b, `${ovs('list-ports', b).split('\n').filter(Boolean).sort().join(' ')}${on}`];
        }),
    );
  let root: SimRoot;
  const runDir = (run: string) => `var/lib/hostnet/backups/${run}`;
  const events = (run: string) => root.read(`${runDir(run)}/journal`).trim().split('\n').map((l) => l.split(' ').slice(1).join(' '));

  /** The run's plan applied by the apply script (armed, not confirmed), then `between`, then the rollback at once. */
  async function applyThenRollBack(run: string, intent: HostNetworkIntent, live: LiveState, previous: LiveState | undefined, between: () => void) {
    const plan = planOvsTransition(intent, live, { ovsDatapathType: 'netdev', ...(previous ? { previous } : {}) });
    const rendered: RenderedConfig = {
      target: 'debian-ifupdown-ovs',
      files: [{ path: '/etc/network/interfaces', content: NEW_FILE, mode: 0o644 }],
      removes: [],
      steps: plan.steps,
      undoSteps: plan.undoSteps,
    };
    const owns = expectedLiveState(intent).links.map((l) => l.name);
    const session = new LocalHostSession(root.dir);
    expect(await applyWithoutConfirm(session, rendered, run, 'spec1', 60, owns)).toMatchObject({ status: 'armed' });
    between();
    const restore = await session.exec(`sh "$HOSTNET_ROOT"/${runDir(run)}/restore.sh "$HOSTNET_ROOT"/${runDir(run)} now verify-failed`);
    expect(restore).toMatchObject({ code: 0 });
    expect(root.state()).toMatchObject({ runId: run, phase: 'rolled-back' });
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(events(run).at(-1)).toBe('restored');
  }

  beforeEach(() => {
    root = new SimRoot();
    // the scripts' ovs-vsctl is the real one, on this test's ovsdb-server (no vswitchd to wait for)
    writeFileSync(root.path('.sim/bin/ovs-vsctl'), wrapper, { mode: 0o755 });
  });

  afterEach(() => {
    root.remove();
    for (const b of ovs('list-br').split('\n').filter(Boolean)) ovs('--if-exists', 'del-br', b);
  });

  it('a renamed bridge: the new one keeps the tap plugged into it, the bond goes back to the old bridge, which comes back', async () => {
    for (const step of planOvsTransition(base, { links: [], addresses: [], routes: [] }, { ovsDatapathType: 'netdev' }).steps) ovs(...step.argv.slice(1));
    const before = bridges();
    expect(before.cloudbr1).toBe('bond1');

    await applyThenRollBack('renamed-1', renameBridge(base, 'cloudbr1', 'cloudbr9'), ovsLiveOf(base), expectedLiveState(base), () => {
      expect(bridges()).toMatchObject({ cloudbr9: 'bond1' });
      expect(bridges().cloudbr1).toBeUndefined();
      ovs('add-port', 'cloudbr9', 'vnet0', '--', 'set', 'interface', 'vnet0', 'external_ids:attached-mac="52:54:00:00:00:01"');
    });

    expect(bridges()).toEqual({ ...before, cloudbr9: 'vnet0' });
    expect(events('renamed-1')).toContain('kept-bridge cloudbr9 ports vnet0');
    expect(events('renamed-1').filter((e) => e.startsWith('removed-bridge'))).toEqual([]);
  }, 30_000);

  it('a first run: the fake bridge a tap joined stays, with its parent; the other bridges and the bonds the run made go', async () => {
    const nics: LiveState = { links: ['eth0', 'eth1', 'eth2', 'eth3'].map((name) => ({ name, kind: 'nic' as const })), addresses: [], routes: [] };
    await applyThenRollBack('first-1', base, nics, undefined, () => {
      expect(Object.keys(bridges()).sort()).toEqual(['cloud0', 'cloudbr0', 'cloudbr1', 'cloudbr100']);
      ovs('add-port', 'cloudbr100', 'vnet1', '--', 'set', 'interface', 'vnet1', 'external_ids:attached-mac="52:54:00:00:00:02"');
    });

    expect(bridges()).toEqual({ cloudbr0: '', cloudbr100: 'vnet1 on cloudbr0/100' });
    expect(events('first-1')).toEqual(
      expect.arrayContaining(['kept-bridge cloudbr100 ports vnet1', 'kept-bridge cloudbr0 ports vnet1', 'removed-bridge cloudbr1', 'removed-bridge cloud0', 'removed-port cloudbr0 bond0']),
    );
  }, 30_000);
});
