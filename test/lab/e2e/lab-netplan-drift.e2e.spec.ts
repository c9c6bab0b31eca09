import { Lab } from '../lab';
import { labProfilesYaml } from './lab-profiles';
import { runLabPipeline } from './lab-run.client';
import type { LabHostReport } from './lab-run.types';

/**
 * An Ubuntu 22.04 host hostnet configured, run by the real netplan and systemd-networkd (test/lab/README.md), whose
 * files are the run's already. A bridge taken down by hand is set up again with `ip link set up` alone: an operator's
 * second address on cloudbr0 survives, which networkd's reconfiguration (what `netplan apply` does) drops. A bridge
 * deleted by hand only the apply makes again: with that address there the run is refused before any change, naming
 * it; without, the apply runs. Ubuntu desktop's 01-network-manager-all.yaml written after the run leaves a
 * re-run a no-op: netplan's own generate gives networkd every device, hostnet's networkd file coming after it.
 * HOSTNET_LAB_PREFIX / HOSTNET_LAB_STATE run it beside another lab of the same spec.
 */
const PREFIX = process.env.HOSTNET_LAB_PREFIX ?? 'hnnd';
const stateDir = process.env.HOSTNET_LAB_STATE ?? `/run/hostnet-lab-netplan-drift-${process.pid}`;
const NAME = `${PREFIX}h01`;
const PROFILES = labProfilesYaml({ [NAME]: 'linux-nic' });
const EXTRA = '192.0.2.5/24';

describe('lab: netplan live drift on a host hostnet configured, and a desktop renderer file after it', () => {
  let lab: Lab;
  const sh = async (command: string): Promise<string> => {
    const r = await lab.hostExec(NAME, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const run = async (): Promise<LabHostReport> => (await runLabPipeline(lab, { profilesYaml: PROFILES, rollbackSeconds: 30, timeoutMs: 60_000 })).hosts.find((h) => h.name === NAME)!;
  const steps = (host: LabHostReport) => (host.outcome?.steps ?? []).filter((s) => s.name !== 'agent-restart').map((s) => [s.name, s.exitCode]);

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 1, personas: ['ubuntu2204'], ovs: ['linux'], stateDir, prefix: PREFIX });
    expect(await run()).toMatchObject({ phase: 'enabled', outcome: { status: 'applied', target: 'netplan-linux', verification: { ok: true } } });
  }, 120_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it("cloudbr1 down by hand: `ip link set up` only, verified; networkd reconfigured nothing: the operator's address on cloudbr0 is still there", async () => {
    await sh(`ip addr add ${EXTRA} dev cloudbr0 && ip link set dev cloudbr1 down`);
    const host = await run();
    expect(host).toMatchObject({ phase: 'enabled', outcome: { status: 'applied', changedFiles: [], liveDiff: ['cloudbr1 is down'], verification: { ok: true } } });
    expect(steps(host)).toEqual([['up-cloudbr1', 0]]);
    expect(await sh('ip -o link show cloudbr1')).toMatch(/<[^>]*\bUP\b/);
    expect(await sh('ip -4 -o addr show dev cloudbr0')).toContain(`inet ${EXTRA}`);
    // networkd still runs the bridge as configured, not as a foreign link
    expect(await sh("networkctl list --no-legend cloudbr1 | awk '{print $5}'")).toMatch(/^configured/);
  }, 90_000);

  it("cloudbr1 deleted by hand: only netplan apply makes it again, and it would drop the operator's address: refused before any change, naming it; without the address it runs", async () => {
    // (networkd puts a NIC released from its bridge back by itself at once: that is no drift a run sees)
    await sh('ip link del dev cloudbr1');
    const before = await sh('ip -o link show | sed "s/^[0-9]*: //" | sort; ip -4 -o addr show | sort; ip route show | sort');
    const refused = await run();
    expect(refused.phase).not.toBe('enabled');
    expect(refused.outcome).toMatchObject({ status: 'failed', steps: [] });
    expect(refused.outcome!.reason).toMatch(new RegExp(`^LostAddressingError: this run would take away address ${EXTRA.replace(/\./g, '\\.')} on cloudbr0`));
    expect(refused.outcome!.reason).toMatch(/live drift no narrower step repairs \([^)]*bridge cloudbr1 is missing[^)]*\): or repair that by hand/);
    expect(await sh('ip -o link show | sed "s/^[0-9]*: //" | sort; ip -4 -o addr show | sort; ip route show | sort')).toBe(before);

    await sh(`ip addr del ${EXTRA} dev cloudbr0`);
    const host = await run();
    expect(host).toMatchObject({ phase: 'enabled', outcome: { status: 'applied', changedFiles: [], verification: { ok: true } } });
    expect(steps(host).map(([name]) => name)).toContain('netplan-apply');
    expect(await sh('ip -o link show eth2')).toMatch(/master cloudbr1/);
    expect(await sh('ip -o link show cloudbr1')).toMatch(/<[^>]*\bUP\b/);
  }, 120_000);

  it("01-network-manager-all.yaml (renderer: NetworkManager) written after hostnet's run, NetworkManager installed: netplan gives networkd every device, and a re-run is a no-op", async () => {
    await sh('command -v nmcli');
    await sh("printf 'network:\\n  version: 2\\n  renderer: NetworkManager\\n' > /etc/netplan/01-network-manager-all.yaml && chmod 600 /etc/netplan/01-network-manager-all.yaml");
    // what netplan itself makes of the two files (its generator, as at boot), into a scratch root
    const generated = await sh(
      'd=$(mktemp -d) && mkdir -p $d/etc && cp -a /etc/netplan $d/etc/ && netplan generate --root-dir $d && (cd $d/run && find . -type f | sort); rm -rf $d',
    );
    expect(generated).toMatch(/systemd\/network\/10-netplan-cloudbr0\.netdev/);
    expect(generated).toMatch(/systemd\/network\/10-netplan-eth0\.network/);
    expect(generated).not.toMatch(/NetworkManager/);
    const host = await run();
    expect(host).toMatchObject({ phase: 'enabled', outcome: { status: 'no-op', changedFiles: [], steps: [] } });
  }, 90_000);
});
