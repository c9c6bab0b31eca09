import { writeFileSync } from 'node:fs';
import type { LiveState } from '@hostnet/intent';
import { restoreActivation, type RenderedConfig } from '@hostnet/render';
import { NETPLAN_PATH } from '../../../libs/render/src/renderers/netplan.renderer';
import { usePrivateOvsdb } from '../../support/private-ovsdb';
import { applyWithoutConfirm } from './support/host-scripts';
import { LocalHostSession } from './support/local-host-session';
import { SimRoot } from './support/sim-root';

/**
 * What `netplan apply` does to OVS that matters here (netplan_cli/cli/ovs.py, apply_ovs_cleanup; src/openvswitch.c):
 * first every Port, Bridge and Interface row tagged `external-ids:netplan=true` that the file in place does not name
 * goes (del-port, del-br), then the units of the file in place make and tag what it names. This run's file names
 * cloudbr0 (there before the run, made with ovs-vsctl) with bond0, and cloudbr1 (new).
 */
const FAKE_NETPLAN = `#!/bin/sh
[ "$1" = apply ] || exit 0
f="$HOSTNET_ROOT${NETPLAN_PATH}"
named=''
if [ -f "$f" ]; then named=$(sed -n 's/^    \\([A-Za-z0-9_.-]*\\):$/\\1/p' "$f"); fi
for t in Port:del-port Bridge:del-br Interface:del-br; do
  ovs-vsctl --columns=name,external_ids -f csv -d bare --no-headings list "\${t%%:*}" | while IFS=, read -r n ids; do
    case " $ids " in *' netplan=true '*) ;; *) continue ;; esac
    case " $(echo $named) " in *" $n "*) continue ;; esac
    if [ "\${t%%:*}" = Interface ] && ! ovs-vsctl br-exists "$n"; then continue; fi
    echo "netplan cleanup: \${t#*:} $n" >> "$HOSTNET_ROOT/.sim/activations.log"
    ovs-vsctl --if-exists "\${t#*:}" "$n"
  done
done
[ -n "$named" ] || exit 0
ovs-vsctl --may-exist add-br cloudbr1 -- set Bridge cloudbr1 external-ids:netplan=true \\
  -- set Bridge cloudbr0 external-ids:netplan=true 'external-ids:"netplan/mcast_snooping_enable"=false' mcast_snooping_enable=false rstp_enable=false \\
  -- set-fail-mode cloudbr0 standalone \\
  -- set Port bond0 external-ids:netplan=true 'external-ids:"netplan/lacp"=off'
`;

const NS = `hnnpovs${process.pid}`;
const RENDERED: RenderedConfig = {
  target: 'netplan-ovs',
  files: [{ path: NETPLAN_PATH, content: 'network:\n  version: 2\n  renderer: networkd\n  bonds:\n    bond0:\n      interfaces: [eth0, eth1]\n      openvswitch: {}\n  bridges:\n    cloudbr0:\n      interfaces: [bond0]\n      openvswitch: {}\n    cloudbr1:\n      interfaces: []\n      openvswitch: {}\n', mode: 0o600 }],
  removes: [],
  steps: [{ name: 'netplan-apply', argv: ['netplan', 'apply'], phase: 'activate' }],
};
/** Facts before the run: cloudbr0 with bond0 and a VM's tap, made with ovs-vsctl (secure, snooping), an operator's own external id on it. */
const LIVE: LiveState = {
  links: [
    { name: 'cloudbr0', kind: 'ovs-bridge', ovsBridge: { datapathType: '', otherConfig: {}, failMode: 'secure', mcastSnoopingEnable: true, externalIds: { owner: 'ops' } } },
    { name: 'bond0', kind: 'ovs-bond', master: 'cloudbr0', members: ['eth0', 'eth1'] },
    { name: 'vnet0', kind: 'nic', master: 'cloudbr0' },
  ],
  addresses: [],
  routes: [],
};

describe('netplan-ovs: a rollback leaves a bridge that was there before the run, and its VM ports, where they were (real ovs-vsctl, real restore.sh)', () => {
  const { ovs, wrapper } = usePrivateOvsdb('hostnet-netplan-ovs-', NS);
  const ids = (table: string, name: string) => ovs('get', table, name, 'external_ids').trim();
  let root: SimRoot;

  beforeEach(() => {
    root = new SimRoot();
    writeFileSync(root.path('.sim/bin/ovs-vsctl'), wrapper, { mode: 0o755 });
    writeFileSync(root.path('.sim/bin/netplan'), FAKE_NETPLAN, { mode: 0o755 });
    // made by hand before hostnet, a VM's tap on it; an operator's own external id on the bridge
    ovs('add-br', 'cloudbr0', '--', 'set', 'bridge', 'cloudbr0', 'external_ids:owner=ops', 'fail_mode=secure', 'mcast_snooping_enable=true', '--', 'add-bond', 'cloudbr0', 'bond0', 'eth0', 'eth1', '--', 'add-port', 'cloudbr0', 'vnet0');
  });
  afterEach(() => {
    root.remove();
    for (const b of ovs('list-br').split('\n').filter(Boolean)) ovs('--if-exists', 'del-br', b);
  });

  /** The run applied by the real apply script (its netplan apply tags cloudbr0 and bond0), then rolled back at once: the journal's events. */
  async function applyThenRollBack(run: string): Promise<string[]> {
    const restoreSteps = restoreActivation(RENDERED, new Map(), LIVE);
    expect(restoreSteps.map((s) => s.name)).toEqual(['restore-ovs-bridge-cloudbr0', 'netplan-apply-untagged']);
    const session = new LocalHostSession(root.dir);
    expect(await applyWithoutConfirm(session, RENDERED, run, 'spec1', 60, ['cloudbr0', 'cloudbr1', 'bond0', 'eth0', 'eth1'], restoreSteps)).toMatchObject({ status: 'armed' });
    expect(ids('Bridge', 'cloudbr0')).toContain('netplan="true"');
    expect(ovs('get', 'bridge', 'cloudbr0', 'fail_mode', 'mcast_snooping_enable').split('\n').slice(0, 2)).toEqual(['standalone', 'false']);
    const dir = `var/lib/hostnet/backups/${run}`;
    expect(await session.exec(`sh "$HOSTNET_ROOT"/${dir}/restore.sh "$HOSTNET_ROOT"/${dir} now verify-failed`)).toMatchObject({ code: 0 });
    return root.read(`${dir}/journal`).trim().split('\n').map((l) => l.split(' ').slice(1).join(' '));
  }

  it("the restore takes off the netplan tags the run's units put on cloudbr0 and bond0 before its netplan apply: they stay, as they were; the run's cloudbr1 goes", async () => {
    const events = await applyThenRollBack('np-1');
    expect(events).toEqual(expect.arrayContaining(['removed-bridge cloudbr1', 'restored-step netplan-apply-untagged']));
    expect(events.at(-1)).toBe('restored');
    expect(ovs('list-br').split('\n').filter(Boolean)).toEqual(['cloudbr0']);
    expect(ovs('list-ports', 'cloudbr0').split('\n').filter(Boolean).sort()).toEqual(['bond0', 'vnet0']);
    expect(ids('Bridge', 'cloudbr0')).toBe('{owner=ops}');
    // what netplan's unit set on it, as it was
    expect(ovs('get', 'bridge', 'cloudbr0', 'fail_mode', 'mcast_snooping_enable', 'rstp_enable').split('\n').slice(0, 3)).toEqual(['secure', 'true', 'false']);
    expect(ids('Port', 'bond0')).toBe('{}');
    expect(root.activations().filter((a) => a.startsWith('netplan cleanup'))).toEqual([]);
  }, 30_000);

  it('tags that cannot be taken off: netplan apply does not run, and the restore says it is incomplete (cloudbr0 stays)', async () => {
    writeFileSync(root.path('.sim/bin/ovs-vsctl'), `#!/bin/sh\ncase "$*" in *external_ids*) echo 'ovs-vsctl: simulated failure' >&2; exit 1 ;; esac\n${wrapper.split('\n').slice(1).join('\n')}`, { mode: 0o755 });
    const events = await applyThenRollBack('np-2');
    expect(events).toEqual(expect.arrayContaining(['removed-bridge cloudbr1', 'restore-failed step netplan-apply-untagged 1']));
    expect(events.at(-1)).toBe('restore-incomplete');
    expect(ovs('list-ports', 'cloudbr0').split('\n').filter(Boolean).sort()).toEqual(['bond0', 'vnet0']);
    expect(root.activations().filter((a) => a.startsWith('netplan cleanup'))).toEqual([]);
  }, 30_000);
});
