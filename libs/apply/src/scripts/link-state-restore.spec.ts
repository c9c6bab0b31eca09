import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMON_SNIPPET } from './common.snippet';
import { LINK_OWNERSHIP_SNIPPET, LINK_STATE_RESTORE_SNIPPET } from './restore.script';

describe("restore: MTUs and down links are put back on hostnet's links only", () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-link-state-'));
  const bin = join(dir, 'bin');
  const calls = join(dir, 'calls.log');

  beforeAll(() => {
    mkdirSync(bin);
    for (const tool of ['grep', 'sed', 'tr', 'cat']) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
    // now: the run raised eth0 and set eth1 up (enslaved); a VM started since on a reused vnet0 (MTU 9000) and vnet1 (up)
    writeFileSync(
      join(bin, 'ip'),
      `#!/bin/sh
case "$*" in
  '-o link show dev eth0') echo "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu $(cat '${dir}/eth0.mtu' 2>/dev/null || echo 9000) qdisc fq_codel state UP" ;;
  'link set dev eth0 mtu 1500') echo 1500 > '${dir}/eth0.mtu'; echo "ip $*" >> '${calls}' ;;
  '-o link show dev eth1') echo '3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel master bond0 state UP' ;;
  '-o link show dev vnet0') echo '9: vnet0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc fq_codel master cloudbr1 state UNKNOWN' ;;
  '-o link show dev vnet1') echo '10: vnet1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel master cloudbr1 state UNKNOWN' ;;
  'link set '*) echo "ip $*" >> '${calls}' ;;
  *) exit 1 ;;
esac
`,
    );
    chmodSync(join(bin, 'ip'), 0o755);
    writeFileSync(join(dir, 'owns'), 'bond0\ncloudbr0\neth0\neth1\n');
    writeFileSync(join(dir, 'link-mtus'), 'eth0 1500\neth1 1500\nvnet0 1500\nvnet1 1500\n');
    writeFileSync(join(dir, 'links-down'), 'eth1\nvnet1\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lowers the run's raised MTU and takes its enslaved NIC down again, and leaves the VMs' taps as they are", () => {
    const r = spawnSync('/bin/sh', ['-c', `${COMMON_SNIPPET}${LINK_OWNERSHIP_SNIPPET}${LINK_STATE_RESTORE_SNIPPET}
RUN='${dir}'
journal() { echo "journal $*"; }
miss() { echo "miss $*"; }
restore_link_state`], { env: { PATH: bin }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('journal restored-mtu eth0 1500\njournal restored-down eth1\n');
    expect(readFileSync(calls, 'utf8')).toBe('ip link set dev eth0 mtu 1500\nip link set dev eth1 down\n');
  });
});
