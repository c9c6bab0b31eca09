import { Lab } from './lab';

// The stand-ins for commands this Debian machine cannot have (systemctl, systemd-run, network-scripts'
// ifup/ifdown/service) must do the real thing: these checks look at OVS and the kernel, not at the stand-ins.
const prefix = `hnq${process.pid % 1000}`;
const stateDir = `/run/hostnet-lab-standins-${process.pid}`;

const IFCFG: Record<string, string> = {
  'ifcfg-cloudbr0': 'DEVICE=cloudbr0\nDEVICETYPE=ovs\nTYPE=OVSBridge\nONBOOT=yes\nBOOTPROTO=none\nIPADDR=10.255.0.11\nNETMASK=255.255.255.0\nGATEWAY=10.255.0.1\n',
  'ifcfg-bond0': 'DEVICE=bond0\nDEVICETYPE=ovs\nTYPE=OVSBond\nOVS_BRIDGE=cloudbr0\nBOND_IFACES="eth0 eth1"\nOVS_OPTIONS="bond_mode=active-backup other_config:bond-detect-mode=miimon other_config:bond-miimon-interval=100"\nONBOOT=yes\n',
  'ifcfg-eth0': 'DEVICE=eth0\nTYPE=Ethernet\nONBOOT=yes\nBOOTPROTO=none\n',
  'ifcfg-eth1': 'DEVICE=eth1\nTYPE=Ethernet\nONBOOT=yes\nBOOTPROTO=none\n',
};

describe('lab stand-ins do the real thing', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 2, personas: ['centos7', 'debian12'], ovs: ['ovs', 'linux'], stateDir, prefix });
  }, 60_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('EL: `service network restart` applies OVS ifcfg files for real and SSH follows the IP onto the bridge', async () => {
    const el = lab.inventory.hosts[0];
    const write = Object.entries(IFCFG)
      .map(([file, body]) => `printf '%s' '${body}' > /etc/sysconfig/network-scripts/${file}`)
      .join(' && ');
    const restart = await lab.sshExec(el, `${write} && service network restart`);
    expect(restart).toMatchObject({ code: 0, stderr: '' });

    const after = await lab.sshExec(el, 'ip -br -4 addr show cloudbr0; ip route show default; ovs-vsctl list-ports cloudbr0; ovs-appctl bond/show bond0; ovs-vsctl get bridge cloudbr0 datapath_type; ovs-vsctl get port bond0 other_config');
    expect(after.stdout).toContain('10.255.0.11/24');
    expect(after.stdout).toContain('default via 10.255.0.1 dev cloudbr0');
    expect(after.stdout).toMatch(/^bond0$/m);
    expect(after.stdout).toContain('bond_mode: active-backup');
    expect(after.stdout).toContain('{bond-detect-mode=miimon, bond-miimon-interval="100"}');
    expect(after.stdout).toMatch(/^netdev$/m);
    const calls = await lab.sshExec(el, "awk '{$1=\"\"; print substr($0,2)}' /run/lab/calls.log");
    expect(calls.stdout).toContain('ifup cloudbr0\nifup bond0\nifup eth0\n');
  }, 20_000);

  it('EL: ifup refuses a kernel bond with a message naming the missing module', async () => {
    const r = await lab.sshExec(lab.inventory.hosts[0],
      "printf 'DEVICE=bond9\\nTYPE=Bond\\nBONDING_OPTS=\"mode=1 miimon=100\"\\n' > /etc/sysconfig/network-scripts/ifcfg-bond9 && ifup bond9");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no bonding module');
  });

  it('systemd-run timers outlive the SSH session, and a stopped timer never fires', async () => {
    const host = lab.inventory.hosts[0];
    const armed = await lab.sshExec(host, [
      'systemd-run --on-active=1 --unit=lab-fire touch /root/fired',
      'systemd-run --on-active=1 --unit=lab-cancel touch /root/cancelled',
      'systemctl is-active lab-fire.timer',
      'systemctl stop lab-cancel.timer',
      'systemctl is-active lab-cancel.timer || true',
    ].join(' && '));
    expect(armed.stdout).toBe('active\ninactive\n');
    await new Promise((r) => setTimeout(r, 1500));
    const fired = await lab.sshExec(host, 'ls /root');
    expect(fired.stdout).toBe('fired\n');
  });

  it('systemctl restarts the host\'s own Open vSwitch, which keeps its bridges', async () => {
    const host = lab.inventory.hosts[0];
    const r = await lab.sshExec(host, 'systemctl restart openvswitch-switch && systemctl is-active openvswitch-switch && ovs-vsctl list-br');
    expect(r).toMatchObject({ code: 0, stdout: 'active\ncloudbr0\n' });
  });

  it('systemctl fails like systemd for units the lab host does not have', async () => {
    const linux = lab.inventory.hosts[1];
    const r = await lab.sshExec(linux, 'systemctl restart libvirtd; echo "rc=$?"; systemctl is-active NetworkManager; echo "rc=$?"; systemctl restart openvswitch-switch; echo "rc=$?"');
    expect(r.stdout).toBe('rc=5\ninactive\nrc=3\nrc=5\n');
  });

  it('Debian: `systemctl restart networking` runs the real ifupdown over /etc/network/interfaces', async () => {
    const deb = lab.inventory.hosts[1];
    const r = await lab.sshExec(deb,
      "printf '\\nauto eth2\\niface eth2 inet static\\n    address 10.255.1.12/24\\n' >> /etc/network/interfaces && systemctl restart networking && ip -br -4 addr show eth0 && ip -br -4 addr show eth2");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^eth0@\S+\s+UP\s+10\.255\.0\.12\/24/m);
    expect(r.stdout).toMatch(/^eth2@\S+\s+UP\s+10\.255\.1\.12\/24/m);
    const ping = await lab.execInLab(['ping', '-c1', '-W2', '10.255.1.12']);
    expect(ping.code).toBe(0);
  });
});
