import type { Lab } from '../lab';

const LOG = '/run/lab-vm-ping.log';
const PID = '/run/lab-vm-ping.pid';

/**
 * A "VM" on a lab OVS host: network namespace `vm0` (in the host's private /run, so it dies with the
 * host) whose NIC is a veth with its host end `vnet0` a port of an OVS bridge, as libvirt plugs a tap.
 * Its pinger runs in the background with per-packet timestamps (`ping -D -O`) and a deadline, so even a
 * test that dies without stop() leaves no pinger past `maxSeconds`.
 */
export class LabVm {
  private stoppedAt?: number;

  private constructor(
    private readonly lab: Lab,
    readonly host: string,
    readonly address: string,
  ) {}

  /** Creates the VM on `bridge` with `address`/24 and waits until it reaches `router`. */
  static async attach(lab: Lab, host: string, options: { bridge: string; address: string; router: string }): Promise<LabVm> {
    const vm = new LabVm(lab, host, options.address);
    await vm.sh(
      [
        'ip netns add vm0',
        'ip link add vnet0 type veth peer name vmeth0',
        'ip link set vmeth0 netns vm0',
        `ovs-vsctl add-port ${options.bridge} vnet0`,
        'ip link set vnet0 up',
        `ip netns exec vm0 ip addr add ${options.address}/24 dev vmeth0`,
        'ip netns exec vm0 ip link set vmeth0 up',
        // checksum offload: the userspace datapath does not fill in what the veth left out
        'ip netns exec vm0 ethtool -K vmeth0 tx off >/dev/null 2>&1 || true',
        `n=0; until ip netns exec vm0 ping -c1 -W1 ${options.router} >/dev/null; do n=$((n+1)); [ $n -lt 10 ] || exit 1; done`,
      ].join(' && '),
    );
    return vm;
  }

  /**
   * The driver's migrateCommand (host name appended): moves the VM's port from bridge `from` to `to` in one
   * OVS transaction, as a live migration would re-plug it on the label CloudStack names now. A VM already
   * moved is left alone (a retried maintenance).
   */
  static migrateCommand(stateDir: string, from: string, to: string): string[] {
    const move = `if [ "$(ovs-vsctl port-to-br vnet0 2>/dev/null)" = ${from} ]; then ovs-vsctl del-port ${from} vnet0 -- add-port ${to} vnet0; fi`;
    return ['sh', '-c', `pid=$(cat "${stateDir}/hosts/$1/init.pid") && exec nsenter -t "$pid" -m -u -n sh -c '${move}'`, 'lab-vm-migrate'];
  }

  /** Starts pinging `target` every `intervalS` seconds, for at most `maxSeconds`. */
  async startPinging(target: string, intervalS: number, maxSeconds: number): Promise<void> {
    await this.sh(`(ip netns exec vm0 ping -D -O -i ${intervalS} -W 1 -w ${maxSeconds} ${target} > ${LOG} 2>&1 & echo $! > ${PID})`);
  }

  /** Stops the pinger (SIGINT: it prints its statistics) and returns its log and when it was stopped (epoch ms). */
  async stop(): Promise<{ log: string; stoppedAt: number }> {
    this.stoppedAt ??= Date.now();
    await this.sh(`p=$(cat ${PID}); kill -INT $p 2>/dev/null || true; n=0; while kill -0 $p 2>/dev/null; do n=$((n+1)); [ $n -lt 100 ] || kill -KILL $p; sleep 0.05; done`);
    return { log: await this.sh(`cat ${LOG}`), stoppedAt: this.stoppedAt };
  }

  /** The OVS bridge the VM's port is on now. */
  async bridge(): Promise<string> {
    return (await this.sh('ovs-vsctl port-to-br vnet0')).trim();
  }

  /** Whether the VM reaches `target` now (two pings). */
  async reaches(target: string): Promise<boolean> {
    return (await this.lab.hostExec(this.host, ['sh', '-c', `ip netns exec vm0 ping -c2 -W2 ${target}`])).code === 0;
  }

  private async sh(command: string): Promise<string> {
    const r = await this.lab.hostExec(this.host, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} on ${this.host} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }
}
