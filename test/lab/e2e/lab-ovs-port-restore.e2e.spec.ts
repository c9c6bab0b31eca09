import { stringify } from 'yaml';
import { Lab } from '../lab';
import { OVS_ROWS_COMMAND, type OvsRows, parseOvsRows } from '../transition/ovs-rows';
import { labStorageAddress } from './lab-profiles';
import { runLabPipeline } from './lab-run.client';
import type { LabHostReport, LabRunReport } from './lab-run.types';

/**
 * A failed run that had taken an OVS port away puts it back with every setting it had, not only the
 * ones hostnet itself sets: CentOS 7 with Open vSwitch, eth2 a trunk port of a bridge made by hand
 * (VLANs 100 and 200 only, native-untagged, with external_ids on the Port and Interface and an
 * mtu_request). The run moves eth2 to cloudbr1 (one OVS transaction), then eth2's ifup fails (a
 * one-shot lab fault) and the run restores at once: the Bridge, Port and Interface rows must be
 * exactly as before (a trunk that came back without `trunks` would pass every VLAN).
 * HOSTNET_LAB_PREFIX / HOSTNET_LAB_STATE run it beside another lab of the same spec.
 */
const PREFIX = process.env.HOSTNET_LAB_PREFIX ?? 'hneo';
const stateDir = process.env.HOSTNET_LAB_STATE ?? `/run/hostnet-lab-ovs-port-${process.pid}`;
const HOST = `${PREFIX}h01`;

const HAND_MADE =
  'ovs-vsctl add-br ovsbr0 -- set bridge ovsbr0 datapath_type=netdev && ' +
  'ovs-vsctl add-port ovsbr0 eth2 -- set port eth2 trunks=100,200 vlan_mode=native-untagged tag=100 ' +
  "external_ids:owner=ops 'external_ids:note=\"to tor-1, rack 3\"' " +
  "-- set interface eth2 mtu_request=1500 external_ids:iface-role=uplink 'external_ids:cable=\"a=b \\\"c\\\"\"'";

function profilesYaml(): string {
  return stringify({
    version: 1,
    profiles: {
      'ovs-nic': {
        backend: 'ovs',
        networks: [
          { match: { label: 'cloudbr0' }, nic: 'eth0' },
          { match: { label: 'cloudbr1' }, nic: 'eth2' },
        ],
      },
    },
    selectors: [{ profile: 'ovs-nic' }],
    hosts: { [HOST]: { profile: 'ovs-nic', storageAddress: labStorageAddress(HOST) } },
  });
}

describe('lab: a failed run restores a removed OVS port with all its columns (trunks, vlan_mode, external_ids, mtu_request)', () => {
  let lab: Lab;
  let report: LabRunReport;
  let before: OvsRows;
  let after: OvsRows;
  const host = (): LabHostReport => report.hosts.find((h) => h.name === HOST)!;
  const sh = async (command: string): Promise<string> => {
    const r = await lab.hostExec(HOST, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const rows = async (): Promise<OvsRows> => parseOvsRows(await sh(OVS_ROWS_COMMAND));

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 1, personas: ['centos7'], ovs: ['ovs'], stateDir, prefix: PREFIX });
    await sh(HAND_MADE);
    before = await rows();
    await sh('touch /run/lab/fail-ifup-eth2');
    report = await runLabPipeline(lab, { profilesYaml: profilesYaml(), rollbackSeconds: 30, timeoutMs: 90_000 });
    after = await rows();
  }, 240_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('the hand-made trunk port is as set up: the columns a restore must not lose', () => {
    expect(before.port.eth2).toMatchObject({
      tag: 100,
      trunks: ['100', '200'],
      vlan_mode: 'native-untagged',
      external_ids: { note: 'to tor-1, rack 3', owner: 'ops' },
    });
    expect(before.interface.eth2).toMatchObject({ mtu_request: 1500, external_ids: { cable: 'a=b "c"', 'iface-role': 'uplink' } });
  });

  it('the run moved eth2 out of ovsbr0, failed at its ifup and was restored at once, never enabled', () => {
    expect(report.timedOut).toBe(false);
    expect(host()).toMatchObject({ phase: 'failed', outcome: { status: 'failed', reason: expect.stringMatching(/^step activate-ifup-eth2 exited 1; .*previous configuration restored at once$/s) } });
    expect(host().outcome!.steps.map((s) => [s.name, s.exitCode])).toEqual(expect.arrayContaining([['ovs-transition-ports', 0], ['activate-ifup-eth2', 1]]));
    expect(report.cloudstack.updateHost.filter((c) => c.id === HOST)).toEqual([]);
  });

  it('every Bridge, Port and Interface row is exactly as before the run', () => {
    expect(after.port.eth2).toEqual(before.port.eth2);
    expect(after.interface.eth2).toEqual(before.interface.eth2);
    expect(after).toEqual(before);
  });
});
