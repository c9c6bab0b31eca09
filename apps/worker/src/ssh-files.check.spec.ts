import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { generateEd25519KeyPair } from '@hostnet/ssh';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSshFiles } from './ssh-files.check';

describe('assertSshFiles: the worker names a wrong SSH path at start, not at each host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-sshfiles-'));
  const key = join(dir, 'id_ed25519');
  const known = join(dir, 'known_hosts');
  const pair = generateEd25519KeyPair('hostnet');
  writeFileSync(key, pair.privateKey);
  writeFileSync(known, '');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const check = (over: Partial<Parameters<typeof assertSshFiles>[0]>) => () =>
    assertSshFiles({ HOSTNET_SSH_KEY: key, HOSTNET_KNOWN_HOSTS: known, HOSTNET_TRUST_ON_FIRST_USE: false, ...over });

  it('passes readable files', () => {
    expect(check({})).not.toThrow();
  });

  it('names HOSTNET_SSH_KEY, the path and the fix when the key is missing or a directory', () => {
    expect(check({ HOSTNET_SSH_KEY: join(dir, 'nope') })).toThrow(`HOSTNET_SSH_KEY: ${join(dir, 'nope')} does not exist; point it at the private key hostnet logs in to the hosts with`);
    expect(check({ HOSTNET_SSH_KEY: dir })).toThrow(`HOSTNET_SSH_KEY: ${dir} is not a file`);
  });

  it('names a file that holds no usable private key (a public key, garbage)', () => {
    const notKey = join(dir, 'id_ed25519.pub');
    writeFileSync(notKey, pair.publicKey);
    expect(check({ HOSTNET_SSH_KEY: notKey })).toThrow(`HOSTNET_SSH_KEY: ${notKey} is not a usable unencrypted private key; point it at the private key hostnet logs in to the hosts with`);
    writeFileSync(notKey, 'key');
    expect(check({ HOSTNET_SSH_KEY: notKey })).toThrow(/is not a usable unencrypted private key/);
  });

  it('wants known_hosts to exist unless keys are trusted on first use, and then a directory to record them in', () => {
    expect(check({ HOSTNET_KNOWN_HOSTS: join(dir, 'none') })).toThrow(/HOSTNET_KNOWN_HOSTS: .*none does not exist; write the hosts' keys there \(ssh-keyscan\), or set HOSTNET_TRUST_ON_FIRST_USE=true/);
    expect(check({ HOSTNET_KNOWN_HOSTS: join(dir, 'none'), HOSTNET_TRUST_ON_FIRST_USE: true })).not.toThrow();
    expect(check({ HOSTNET_KNOWN_HOSTS: join(dir, 'missing-dir', 'known_hosts'), HOSTNET_TRUST_ON_FIRST_USE: true })).toThrow(/its directory .*missing-dir does not exist; create it/);
  });

  it('reports both files at once', () => {
    expect(check({ HOSTNET_SSH_KEY: join(dir, 'a'), HOSTNET_KNOWN_HOSTS: join(dir, 'b') })).toThrow(/HOSTNET_SSH_KEY[\s\S]*HOSTNET_KNOWN_HOSTS/);
  });
});
