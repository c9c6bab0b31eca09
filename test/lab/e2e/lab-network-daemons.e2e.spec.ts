import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lab } from '../lab';
import type { LabPersona } from '../lab-inventory';
import { labProfilesYaml } from './lab-profiles';
import { runLabPipeline } from './lab-run.client';
import type { LabRunReport } from './lab-run.types';

/**
 * Hosts whose networking is a real network daemon, started inside the host as its OS would boot it
 * (test/lab/README.md): Rocky 9 with NetworkManager (private system D-Bus, `NetworkManager
 * --no-daemon`), Ubuntu 22.04 with netplan and systemd-networkd. Each starts from its installer's
 * config giving eth0 the management address; hostnet's files replace it inside the run (the installer's
 * file goes into the run's backup), the daemon activates the bridge over eth0, the host is verified and
 * enabled, and a re-run changes nothing. A second host of each asks for jumbo frames on eth0 and for Linux
 * bonds, which this kernel cannot make: its run must leave files and live state (MTUs too) exactly as they were.
 * hostnet brings its NetworkManager profiles up by their uuid, and the rollback the moved-aside one by its own.
 */
interface DaemonCase {
  persona: LabPersona;
  prefix: string;
  target: string;
  /** The config giving eth0 the management address before hostnet: the persona's, or `prepare`'s. */
  installerFile: string;
  /** Run on each host before anything is looked at: a shell command, with IP and GW set. */
  prepare?: string;
  /** Files of the host's network configuration. */
  configGlob: string;
  /** What the daemon says is active, without volatile fields. */
  daemonView: string;
  /** The daemon's log, for counting activations. */
  log: string;
  activation: string;
}

const CASES: DaemonCase[] = [
  {
    persona: 'rocky9',
    prefix: 'hne7',
    target: 'networkmanager-linux',
    // the profile NetworkManager itself saves as 'Wired connection 1' (a file name with spaces) replaces
    // the installer's: hostnet must move it aside and a rollback must bring it back and up
    installerFile: '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection',
    prepare:
      'nmcli connection delete eth0 >/dev/null && nmcli connection add type ethernet con-name "Wired connection 1" ifname eth0 connection.autoconnect-priority -999 ' +
      'ipv4.method manual ipv4.addresses "$IP/24" ipv4.gateway "$GW" ipv6.method ignore >/dev/null && nmcli connection up "Wired connection 1" >/dev/null',
    configGlob: '/etc/NetworkManager/system-connections',
    daemonView: 'nmcli -t -f NAME,UUID,DEVICE connection show --active | sort',
    log: 'NetworkManager.log',
    activation: 'Activation: starting connection',
  },
  {
    persona: 'ubuntu2204',
    prefix: 'hne8',
    target: 'netplan-linux',
    installerFile: '/etc/netplan/01-netcfg.yaml',
    configGlob: '/etc/netplan',
    // the operational column follows IPv6 link-local timing; the setup column is what networkd decided
    daemonView: "networkctl list --no-legend | awk '{print $2, $3, $5}' | sort",
    log: 'networkd.log',
    activation: 'Configuring with /run/systemd/network',
  },
];

/** HOSTNET_LAB_PREFIX runs it beside another lab of the same spec (a letter per case after it). */
const labPrefix = (c: DaemonCase) => (process.env.HOSTNET_LAB_PREFIX ? `${process.env.HOSTNET_LAB_PREFIX}${String.fromCharCode(97 + CASES.indexOf(c))}` : c.prefix);

describe.each(CASES)('lab: $target applied for real by the daemon ($persona)', (spec) => {
  const c = { ...spec, prefix: labPrefix(spec) };
  const stateDir = `/run/hostnet-lab-${c.prefix}-${process.pid}`;
  const NAME = `${c.prefix}h01`;
  const REFUSED = `${c.prefix}h02`;
  const PROFILES = { [NAME]: 'linux-nic', [REFUSED]: 'linux-jumbo-bonded' } as const;
  let lab: Lab;
  let first: LabRunReport;
  let refusedBefore: string[];
  const sh = async (command: string, host = NAME): Promise<string> => {
    const r = await lab.hostExec(host, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} on ${host} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  /** Config files, links, addresses, routes and the daemon's own view, as a failed run must leave them. */
  const hostView = (host: string) =>
    Promise.all([
      sh(`cd ${c.configGlob} && for f in *; do echo "== $f $(stat -c %a "$f")"; cat "$f"; done`, host),
      sh("ip -o link show | sed 's/^[0-9]*: //; s/ qdisc.*//' | sort", host),
      sh('ip -4 -o addr show | sort', host),
      sh('ip route show | sort', host),
      sh(c.daemonView, host),
    ]);
  const ip = () => lab.host(NAME).managementIp.replace(/\./g, '\\.');

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 2, personas: [c.persona], ovs: ['linux'], stateDir, prefix: c.prefix });
    for (const host of c.prepare ? [NAME, REFUSED] : []) {
      await sh(`IP=${lab.host(host).managementIp} GW=${lab.host(host).gateway}; ${c.prepare}`, host);
      await sh(`test -f "${c.installerFile}"`, host);
    }
    refusedBefore = await hostView(REFUSED);
    first = await runLabPipeline(lab, { profilesYaml: labProfilesYaml(PROFILES), rollbackSeconds: 30, timeoutMs: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it("the installer's config for eth0 went into the run's backup", async () => {
    const backup = await sh(`cat /var/lib/hostnet/backups/*/files"${c.installerFile}"`);
    expect(backup).toMatch(new RegExp(`${ip()}/24`));
  });

  it('Disabled → enabled through the daemon: cloudbr0 over eth0 holds the address and the default route', async () => {
    expect(first.timedOut).toBe(false);
    const host = first.hosts.find((h) => h.name === NAME)!;
    expect(host).toMatchObject({ phase: 'enabled', outcome: { status: 'applied', target: c.target, verification: { ok: true } } });
    expect(first.cloudstack.resourceState[NAME]).toBe('Enabled');
    expect(await sh('ip -o link show eth0')).toMatch(/master cloudbr0/);
    expect(await sh('ip -o link show eth2')).toMatch(/master cloudbr1/);
    expect(await sh('ip -4 -o addr show')).toMatch(new RegExp(`cloudbr0\\s+inet ${ip()}/24`));
    expect(await sh('ip -4 -o addr show dev eth0')).toBe('');
    expect(await sh('ip route show default')).toMatch(/^default via 10\.255\.0\.1 dev cloudbr0/m);
    expect(await sh(c.daemonView)).toMatch(/cloudbr0/);
    expect((await lab.sshExec(NAME, 'hostname')).stdout.trim()).toBe(NAME);
  });

  it('a run the kernel refuses (Linux bonds) is rolled back: files, links and their MTUs, addresses, routes and the daemon as before', async () => {
    const refused = first.hosts.find((h) => h.name === REFUSED)!;
    expect(refused.phase).not.toBe('enabled');
    expect(['rolled-back', 'failed']).toContain(refused.outcome?.status);
    expect(first.cloudstack.resourceState[REFUSED]).not.toBe('Enabled');
    expect(await hostView(REFUSED)).toEqual(refusedBefore);
  });

  it('a re-run is a no-op: nothing written, nothing re-activated', async () => {
    const activations = () => readFileSync(join(stateDir, 'hosts', NAME, c.log), 'utf8').split(c.activation).length - 1;
    const snapshot = async () => [await sh(`stat -c "%n %Y %s" ${c.configGlob}/*; ${c.daemonView}`), activations()];
    const before = await snapshot();
    const again = await runLabPipeline(lab, { profilesYaml: labProfilesYaml(PROFILES), hosts: [NAME], rollbackSeconds: 30, timeoutMs: 60_000 });
    expect(again.hosts.find((h) => h.name === NAME)).toMatchObject({ phase: 'enabled', outcome: { status: 'no-op', changedFiles: [], steps: [] } });
    expect(await snapshot()).toEqual(before);
  }, 90_000);
});
