import { stringify } from 'yaml';
import { Lab } from '../lab';
import { readLabTruth } from '../lab-truth';
import { labStorageAddress } from './lab-profiles';
import { runLabPipeline } from './lab-run.client';
import type { LabRunReport } from './lab-run.types';

/**
 * A Rocky 9 host whose bridges an operator made by hand with nmcli (the install guide's cloudbr0 with "System eth0",
 * cloudbr1 with "Wired connection 1"), the agent's cloud0 and a VM's tap on each bridge. hostnet's profile gives the
 * same layout. Under new uuids NetworkManager's reload saw the active connections removed and detached vnet0/vnet1
 * (the VMs cut off; a failed run's restore did not plug them back). hostnet's profiles take over the operator's uuids:
 * a failed run leaves the host as it was, a run that succeeds keeps taps and cloud0, a re-run is a no-op. On a real
 * NetworkManager (rocky9 persona).
 */
const PREFIX = process.env.HOSTNET_LAB_PREFIX ? `${process.env.HOSTNET_LAB_PREFIX}a` : 'hnad';
const NAME = `${PREFIX}h01`;

const tap = (i: number, bridge: string) =>
  [`ip netns add vm${i}`, `ip link add vnet${i} type veth peer name vmeth${i}`, `ip link set vmeth${i} netns vm${i}`, `ip link set vnet${i} master ${bridge}`, `ip link set vnet${i} up`].join(' && ');

const HAND_MADE = [
  'nmcli connection delete eth0 >/dev/null',
  'nmcli connection add type bridge con-name cloudbr0 ifname cloudbr0 ipv4.method manual ipv4.addresses 10.255.0.11/24 ipv4.gateway 10.255.0.1 ipv6.method ignore bridge.stp no >/dev/null',
  'nmcli connection add type ethernet con-name "System eth0" ifname eth0 master cloudbr0 slave-type bridge >/dev/null',
  'nmcli connection add type bridge con-name cloudbr1 ifname cloudbr1 ipv4.method disabled ipv6.method ignore bridge.stp no >/dev/null',
  'nmcli connection add type ethernet con-name "Wired connection 1" ifname eth2 master cloudbr1 slave-type bridge >/dev/null',
  'nmcli connection up cloudbr0 >/dev/null && nmcli connection up "System eth0" >/dev/null && nmcli connection up cloudbr1 >/dev/null && nmcli connection up "Wired connection 1" >/dev/null',
  'sleep 2',
  'ip link add cloud0 type bridge && ip addr add 169.254.0.1/16 dev cloud0 && ip link set cloud0 up',
  tap(0, 'cloudbr0'),
  tap(1, 'cloudbr1'),
].join(' && ');

/** The run that fails: a bond the lab's kernel refuses (and a jumbo MTU on cloudbr0), so the run restores. */
function profilesYaml(run: 'fail' | 'ok'): string {
  const fail = run === 'fail';
  const pub = fail ? { bond: { name: 'bond1', members: ['eth2', 'eth3'], mode: 'active-backup', miimon: 100 } } : { nic: 'eth2' };
  return stringify({
    version: 1,
    profiles: { linux: { backend: 'linux', networks: [{ match: { label: 'cloudbr0' }, nic: 'eth0', ...(fail ? { mtu: 9000 } : {}) }, { match: { label: 'cloudbr1' }, ...pub }] } },
    selectors: [{ profile: 'linux' }],
    hosts: { [NAME]: { profile: 'linux', storageAddress: labStorageAddress(NAME) } },
  });
}

const NM = '/etc/NetworkManager/system-connections';
/** Where every VM tap and cloud0 hang: `vnet0 cloudbr0`. */
const TAPS = 'for d in vnet0 vnet1 cloud0; do printf "%s " $d; basename "$(readlink /sys/class/net/$d/master 2>/dev/null || echo -)"; done';

describe("lab: hostnet takes over an operator's NetworkManager bridges without detaching the VMs' taps", () => {
  let lab: Lab;
  const runs: LabRunReport[] = [];
  const taps: Record<string, string> = {};
  const truths: Record<string, unknown> = {};
  /** Each keyfile's uuid by its name (`System eth0`), per phase. */
  const uuids: Record<string, Record<string, string>> = {};
  const sh = async (command: string): Promise<string> => {
    const r = await lab.hostExec(NAME, ['sh', '-c', command], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`${command.slice(0, 200)} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const snapshot = async (tag: string) => {
    taps[tag] = await sh(TAPS);
    const lines = await sh(`cd ${NM} && for f in *.nmconnection; do printf '%s\\t%s\\n' "\${f%.nmconnection}" "$(sed -n 's/^uuid=//p' "$f")"; done`);
    uuids[tag] = Object.fromEntries(lines.split('\n').filter(Boolean).map((l) => l.split('\t') as [string, string]));
    const t = await readLabTruth(lab, NAME);
    // NetworkManager gives a re-activated device's routes the next metric (427 → 431): not the run's to keep
    truths[tag] = { files: Object.fromEntries(t.files), live: t.live.replace(/ metric \d+/g, ' metric N') };
  };

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 1, personas: ['rocky9'], ovs: ['linux'], stateDir: `/run/hostnet-lab-${PREFIX}-${process.pid}`, prefix: PREFIX });
    await sh(HAND_MADE);
    await snapshot('hand-made');
    runs.push(await runLabPipeline(lab, { profilesYaml: profilesYaml('fail'), rollbackSeconds: 30, timeoutMs: 180_000 }));
    await snapshot('after-failed-run');
    runs.push(await runLabPipeline(lab, { profilesYaml: profilesYaml('ok'), rollbackSeconds: 30, timeoutMs: 180_000 }));
    await sh('sleep 2');
    await snapshot('after-run');
    runs.push(await runLabPipeline(lab, { profilesYaml: profilesYaml('ok'), rollbackSeconds: 30, timeoutMs: 180_000 }));
  }, 900_000);
  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('the hand-made layout has the taps and cloud0 where the operator put them', () => {
    expect(taps['hand-made']).toBe('vnet0 cloudbr0\nvnet1 cloudbr1\ncloud0 -\n');
  });
  it('a failed run leaves files, taps and live state exactly as the operator made them', () => {
    expect(runs[0]!.hosts[0]!.phase).not.toBe('enabled');
    expect(runs[0]!.hosts[0]!.outcome?.reason).not.toMatch(/NOT fully restored/);
    expect(taps['after-failed-run']).toBe(taps['hand-made']);
    expect(truths['after-failed-run']).toEqual(truths['hand-made']);
  });
  it("a run that succeeds takes over the operator's uuids and keeps the taps and cloud0", async () => {
    expect(runs[1]!.hosts[0]).toMatchObject({ phase: 'enabled' });
    expect(taps['after-run']).toBe(taps['hand-made']);
    const [before, after] = [uuids['hand-made']!, uuids['after-run']!];
    expect(after['cloudbr0']).toBe(before['cloudbr0']);
    expect(after['eth0']).toBe(before['System eth0']);
    expect(after['cloudbr1']).toBe(before['cloudbr1']);
    expect(after['eth2']).toBe(before['Wired connection 1']);
  });
  it('the re-run is a no-op', () => {
    const o = runs[2]!.hosts[0]!.outcome!;
    expect(runs[2]!.hosts[0]).toMatchObject({ phase: 'enabled' });
    expect(o.changedFiles).toEqual([]);
    expect(o.steps).toEqual([]);
  });
});
