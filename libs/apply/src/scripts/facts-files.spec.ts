import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFacts } from '../parsers/facts.parser';
import { FACTS_SCRIPT } from './facts.script';
import { compactScript } from './script-command';

/** The coreutils the facts script's file listing needs, and nothing that reads this machine's network. */
const TOOLS = ['sha256sum', 'stat', 'cat', 'sort', 'mktemp', 'rm', 'base64', 'od', 'tr', 'wc', 'date', 'head'];

describe('facts script: the files section', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-facts-files-'));
  const root = join(dir, 'root');
  const bin = join(dir, 'bin');
  const files: Record<string, string> = {
    '/etc/NetworkManager/system-connections/Wired connection 1': '[connection]\nid=Wired connection 1\n',
    '/etc/netplan/50-cloud-init.yaml': 'network:\n  version: 2\n',
    '/etc/netplan/60-hostnet.yaml': 'network: {}\n',
    // netplan reads /run and /lib too, NetworkManager /run: other owners' configs for the same NICs live there as well
    '/run/netplan/eno1.yaml': 'network:\n  ethernets:\n    eno1: {dhcp4: true}\n',
    '/lib/netplan/00-vendor.yaml': 'network:\n  renderer: NetworkManager\n',
    '/run/NetworkManager/system-connections/default_connection.nmconnection': '[connection]\nid=Wired Connection\n',
  };

  beforeAll(() => {
    mkdirSync(bin);
    for (const tool of TOOLS) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
    // an ip whose JSON lists nothing: without one the facts' live sections name the missing ip and do not read
    writeFileSync(join(bin, 'ip'), "#!/bin/sh\necho '[]'\n");
    chmodSync(join(bin, 'ip'), 0o755);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), content, { mode: 0o600 });
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const facts = (path: string) => {
    const r = spawnSync('/bin/sh', ['-c', compactScript(FACTS_SCRIPT), 'hostnet-facts'], { env: { PATH: path, HOSTNET_ROOT: root }, input: '', encoding: 'utf8' });
    expect(r.status).toBe(0);
    return parseFacts(r.stdout).files;
  };
  const expected = Object.entries(files).map(([path, content]) => ({ path, sha256: createHash('sha256').update(content).digest('hex'), size: Buffer.byteLength(content), mode: 0o600, content }));

  /** A PATH dir whose `name` runs `body` (the real tool is in bin), before bin. */
  const wrapped = (dirName: string, name: string, body: string): string => {
    const wrapDir = join(dir, dirName);
    mkdirSync(wrapDir, { recursive: true });
    writeFileSync(join(wrapDir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(wrapDir, name), 0o755);
    return wrapDir;
  };

  it('hashes, sizes and ships every file, a name with spaces included, in one sha256sum, one stat and one content stream', () => {
    const log = join(dir, 'calls.log');
    const counting = ['stat', 'sha256sum'].map((t) => wrapped('counting', t, `echo ${t} >> '${log}'; exec ${join(bin, t)} "$@"`))[0];
    const seen = facts(`${counting}:${bin}`);
    expect(seen.size).toBe(Object.keys(files).length);
    for (const e of expected) expect(seen.get(e.path)).toEqual(expect.objectContaining(e));
    expect(readFileSync(log, 'utf8').split('\n').filter(Boolean).sort()).toEqual(['sha256sum', 'stat']);
  });

  it('reads each file on its own when one vanished between the two batch reads (stat here loses all but the first)', () => {
    const lossy = wrapped('lossy', 'stat', `${join(bin, 'stat')} "$@" | head -n 1`);
    const seen = facts(`${lossy}:${bin}`);
    expect(seen.size).toBe(Object.keys(files).length);
    for (const e of expected) expect(seen.get(e.path)).toEqual(expect.objectContaining(e));
  });
});
