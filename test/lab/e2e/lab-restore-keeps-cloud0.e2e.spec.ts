import type { HostTruth } from '../../faults/host-truth';
import { Lab } from '../lab';
import type { LabHost } from '../lab-inventory';
import { readLabTruth } from '../lab-truth';
import { labProfilesYaml } from './lab-profiles';
import { runLabPipeline } from './lab-run.client';
import type { LabHostReport, LabRunReport } from './lab-run.types';

/**
 * A failed run's restore keeps what the host ran before it: CentOS 7 with Open vSwitch, configured by hand as the
 * reference says (cloudbr0 in ifcfg OVS files), the agent's cloud0 made with ovs-vsctl and given 169.254.0.1/16 with
 * ip (no ifcfg file), a VM's tap on cloudbr0. The run writes ifcfg-cloud0 and fails at cloudbr1's ifup (a one-shot
 * lab fault); its restore once flushed cloud0, since no file describes it after the restore, cutting the host off its
 * system VMs. HOSTNET_LAB_PREFIX / HOSTNET_LAB_STATE run it beside another lab of the same spec.
 */
const PREFIX = process.env.HOSTNET_LAB_PREFIX ?? 'hnrk';
const stateDir = process.env.HOSTNET_LAB_STATE ?? `/run/hostnet-lab-restore-cloud0-${process.pid}`;
const HOST = `${PREFIX}h01`;
const NS = '/etc/sysconfig/network-scripts';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const put = (path: string, text: string) => `echo ${b64(text)} | base64 -d > ${path} && chmod 644 ${path}`;

/** The probe's hand-made host, on the lab host's own management address. */
const handMade = (h: LabHost) => [
  put(`${NS}/ifcfg-cloudbr0`, `DEVICE=cloudbr0\nONBOOT=yes\nDEVICETYPE=ovs\nTYPE=OVSBridge\nBOOTPROTO=static\nIPADDR=${h.managementIp}\nPREFIX=${h.prefix}\nGATEWAY=${h.gateway}\nHOTPLUG=no\n`),
  put(`${NS}/ifcfg-eth0`, 'DEVICE=eth0\nONBOOT=yes\nDEVICETYPE=ovs\nTYPE=OVSPort\nOVS_BRIDGE=cloudbr0\nBOOTPROTO=none\nHOTPLUG=no\n'),
  'service network restart',
  'ovs-vsctl add-br cloud0 -- set bridge cloud0 datapath_type=netdev && ip addr add 169.254.0.1/16 dev cloud0 && ip link set cloud0 up',
  'ip netns add vm0 && ip link add vnet0 type veth peer name vmeth0 && ip link set vmeth0 netns vm0',
  'ovs-vsctl add-port cloudbr0 vnet0 -- set interface vnet0 external_ids:iface-id=vm0 && ip link set vnet0 up',
].join(' && ');


describe("lab: a failed run's restore on a hand-made CentOS 7 OVS host keeps the agent's cloud0 and its link-local address", () => {
  let lab: Lab;
  let report: LabRunReport;
  let before: HostTruth;
  let after: HostTruth;
  const host = (): LabHostReport => report.hosts.find((h) => h.name === HOST)!;
  const sh = async (command: string): Promise<string> => {
    const r = await lab.hostExec(HOST, ['sh', '-c', command], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`${command.slice(0, 120)} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 1, personas: ['centos7'], ovs: ['ovs'], stateDir, prefix: PREFIX });
    await sh(handMade(lab.host(HOST)));
    before = await readLabTruth(lab, HOST);
    await sh('touch /run/lab/fail-ifup-cloudbr1');
    report = await runLabPipeline(lab, { profilesYaml: labProfilesYaml(Object.fromEntries([HOST].map((h) => [h, 'ovs-nic']))), rollbackSeconds: 30, timeoutMs: 180_000 });
    after = await readLabTruth(lab, HOST);
  }, 400_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('the run failed at cloudbr1 and was restored at once, never enabled', () => {
    expect(report.timedOut).toBe(false);
    expect(host()).toMatchObject({ phase: 'failed', outcome: { status: 'failed', reason: expect.stringMatching(/^step activate-ifup-cloudbr1 exited 1; .*previous configuration restored at once$/s) } });
    expect(report.cloudstack.updateHost.filter((c) => c.id === HOST)).toEqual([]);
  });

  it('cloud0 keeps 169.254.0.1/16 and its route, and the restore did not flush it', () => {
    expect(host().outcome!.steps.map((s) => s.name)).not.toContain('restore-flush-cloud0');
    expect(after.live).toEqual(before.live);
  });

  it('files are as the operator left them', () => {
    expect(after.files).toEqual(before.files);
  });
});
