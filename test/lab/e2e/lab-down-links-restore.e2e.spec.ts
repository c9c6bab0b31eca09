import { stringify } from 'yaml';
import { Lab } from '../lab';
import { labStorageAddress } from './lab-profiles';
import { runLabPipeline } from './lab-run.client';
import type { LabHostReport, LabRunReport } from './lab-run.types';

/**
 * A failed run that had taken NICs which were down (cabled spares) into its bridges: its restore puts
 * every link back as it was, down ones down and out of the bridge. CentOS 7 with Linux bridges: run 1
 * configures cloudbr0 over eth0 and cloudbr1 over eth2; eth1 and eth3 are then set down, and run 2
 * moves the bridges onto them, failing at eth3's ifup (after eth1 joined cloudbr0 and came up).
 */
const stateDir = `/run/hostnet-lab-down-links-${process.pid}`;
const HOST = 'hnedh01';

function profilesYaml(uplinks: [string, string]): string {
  const networks = [
    { match: { label: 'cloudbr0' }, nic: uplinks[0] },
    { match: { label: 'cloudbr1' }, nic: uplinks[1] },
  ];
  return stringify({
    version: 1,
    profiles: { spares: { backend: 'linux', networks } },
    selectors: [{ profile: 'spares' }],
    hosts: { [HOST]: { profile: 'spares', storageAddress: labStorageAddress(HOST) } },
  });
}

describe('lab: a failed run puts links that were down back down, and out of the bridges it put them in', () => {
  let lab: Lab;
  const runs: LabRunReport[] = [];
  let before = '';
  let after = '';
  const host = (run: number): LabHostReport => runs[run]!.hosts.find((h) => h.name === HOST)!;
  /** Each NIC's admin state and master: `eth0 up cloudbr0`. */
  const links = async () =>
    (
      await lab.hostExec(HOST, ['sh', '-c', 'for n in eth0 eth1 eth2 eth3; do ip -o link show dev $n | grep -q "[<,]UP[,>]" && s=up || s=down; m=$(basename "$(readlink /sys/class/net/$n/master)" 2>/dev/null); echo "$n $s ${m:--}"; done'])
    ).stdout.trim();

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 1, personas: ['centos7'], ovs: ['linux'], stateDir, prefix: 'hned' });
    runs.push(await runLabPipeline(lab, { profilesYaml: profilesYaml(['eth0', 'eth2']), rollbackSeconds: 30, timeoutMs: 90_000 }));
    await lab.hostExec(HOST, ['sh', '-c', 'ip link set eth1 down && ip link set eth3 down && touch /run/lab/fail-ifup-eth3']);
    before = await links();
    runs.push(await runLabPipeline(lab, { profilesYaml: profilesYaml(['eth1', 'eth3']), rollbackSeconds: 30, timeoutMs: 90_000 }));
    after = await links();
  }, 300_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('run 2 failed at the faulted ifup after eth1 had joined cloudbr0, and was restored at once, completely', () => {
    expect(host(0)).toMatchObject({ phase: 'enabled', outcome: { status: 'applied' } });
    expect(host(1)).toMatchObject({ phase: 'failed', outcome: { status: 'failed', reason: expect.stringMatching(/^step activate-ifup-eth3 exited 1; .*previous configuration restored at once$/s) } });
    expect(host(1).outcome!.steps.map((s) => [s.name, s.exitCode])).toEqual(expect.arrayContaining([['activate-ifup-eth1', 0], ['activate-ifup-eth3', 1]]));
  });

  it('every NIC is as it was before run 2: eth1 and eth3 down and in no bridge, eth0 and eth2 up in theirs', () => {
    expect(before).toBe('eth0 up cloudbr0\neth1 down -\neth2 up cloudbr1\neth3 down -');
    expect(after).toBe(before);
  });
});
