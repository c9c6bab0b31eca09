import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFacts } from '../parsers/facts.parser';
import { FACTS_SCRIPT } from './facts.script';
import { compactScript } from './script-command';

const TOOLS = ['sha256sum', 'stat', 'cat', 'sort', 'mktemp', 'rm', 'base64', 'date'];

/** The hand-written iproute2 4.11 fixture's sections (see its header). */
function fixture(name: string): Record<string, string> {
  const body = readFileSync(join(__dirname, '../parsers/fixtures', name), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
  return Object.fromEntries(body.split(/^@@/m).filter(Boolean).map((part) => [part.slice(0, part.indexOf('\n')), part.slice(part.indexOf('\n') + 1)]));
}

/**
 * An `ip` that logs its calls: CentOS 7's iproute2 4.11, which refuses -j (`Option "-j" is unknown`, status 255)
 * and prints the one-line text, or one that prints neither (`broken`).
 */
function fakeIp(dir: string, log: string, broken = false): void {
  const f = fixture('ip4.11-bridge-host.txt');
  for (const [name, text] of Object.entries(f)) writeFileSync(join(dir, `${name}.txt`), text);
  writeFileSync(
    join(dir, 'ip'),
    `#!/bin/sh
echo "$*" >> '${log}'
case "$1" in -j|-json|--json) echo 'Option "-j" is unknown, try "ip -help".' >&2; exit 255 ;; esac
case "$*" in
  -V) echo 'ip utility, iproute2-ss170501' ;;
  ${broken ? "*) echo 'Segmentation fault' >&2; exit 139 ;;" : `'-o -d link show') cat '${dir}/link.txt' ;;
  '-o addr show') cat '${dir}/addr.txt' ;;
  '-4 route show') cat '${dir}/route.txt' ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;`}
esac
`,
  );
  chmodSync(join(dir, 'ip'), 0o755);
}

describe('live state on an ip without JSON (CentOS 7, iproute2 4.11)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-ip-text-'));
  const root = join(dir, 'root');
  const bin = join(dir, 'bin');

  beforeAll(() => {
    mkdirSync(bin);
    mkdirSync(root);
    for (const tool of TOOLS) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const facts = (broken: boolean): { stdout: string; calls: string[] } => {
    const fake = mkdtempSync(join(dir, 'ip-'));
    const log = join(fake, 'calls.log');
    fakeIp(fake, log, broken);
    const r = spawnSync('/bin/sh', ['-c', compactScript(FACTS_SCRIPT), 'hostnet-facts'], { env: { PATH: `${fake}:${bin}`, HOSTNET_ROOT: root }, input: '', encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return { stdout: r.stdout, calls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  };

  it('facts print the one-line text once -j is refused, and the worker reads the links, addresses and routes from it', () => {
    const { stdout, calls } = facts(false);
    expect(calls).toEqual(['-j -d link show', '-V', '-o -d link show', '-o addr show', '-4 route show']);
    const live = parseFacts(stdout).live;
    expect(live.links.find((l) => l.name === 'cloudbr0')).toEqual({ name: 'cloudbr0', kind: 'bridge', members: ['eth0', 'vnet0'], up: true, bridge: { stp: false, forwardDelay: 0 } });
    expect(live.links.find((l) => l.name === 'eth1.200')).toMatchObject({ kind: 'vlan', parent: 'eth1', vlanId: 200, master: 'cloudbr1' });
    expect(live.addresses).toContainEqual({ dev: 'cloudbr0', address: '192.168.10.22', prefix: 24 });
    expect(live.routes).toContainEqual({ to: 'default', via: '192.168.10.1', dev: 'cloudbr0' });
  });

  it('an ip that prints neither form fails the facts, naming its version and the fix, rather than reading as a host with no links', () => {
    const { stdout } = facts(true);
    expect(() => parseFacts(stdout)).toThrow(/the host's ip \(ip utility, iproute2-ss170501\) printed neither iproute2 JSON .*"Segmentation fault".*fix: install or repair/);
  });
});
