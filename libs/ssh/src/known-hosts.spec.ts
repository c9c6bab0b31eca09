import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEd25519KeyPair } from './ssh-key-pair';
import { entryMatchesHost, keyBlobType, parseKnownHosts, sshFingerprint } from './known-hosts';

// OpenSSH's own ssh-keygen is the reference for fingerprints and hashed host names.
describe('known_hosts parsing and matching', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-known-hosts-'));
  const pair = { public: generateEd25519KeyPair().publicKey };
  const blob = Buffer.from(pair.public.split(' ')[1] as string, 'base64');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('computes fingerprints exactly like ssh-keygen -l', () => {
    writeFileSync(join(dir, 'key.pub'), `${pair.public}\n`);
    const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'key.pub')]).toString();
    expect(out.split(' ')[1]).toBe(sshFingerprint(blob));
    expect(keyBlobType(blob)).toBe('ssh-ed25519');
  });

  it('matches entries hashed by ssh-keygen -H, for plain and [host]:port names', () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `10.1.2.3 ${pair.public}\n[10.1.2.3]:2222 ${pair.public}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const entries = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.patterns[0]?.startsWith('|1|') && e.key.equals(blob))).toBe(true);
    expect(entryMatchesHost(entries[0]!, '10.1.2.3')).toBe(true);
    expect(entryMatchesHost(entries[0]!, '10.1.2.4')).toBe(false);
    expect(entryMatchesHost(entries[1]!, '[10.1.2.3]:2222')).toBe(true);
    expect(entryMatchesHost(entries[1]!, '10.1.2.3')).toBe(false);
  });

  it('handles comma lists, wildcards, negation, markers and junk lines', () => {
    const key = blob.toString('base64');
    const entries = parseKnownHosts(
      `# comment\n\nkvm1,10.0.0.1 ssh-ed25519 ${key}\n*.lab,!bad.lab ssh-ed25519 ${key} comment\n@revoked * ssh-ed25519 ${key}\ngarbage\n`,
    );
    expect(entries.map((e) => e.marker ?? 'pin')).toEqual(['pin', 'pin', '@revoked']);
    expect(entryMatchesHost(entries[0]!, '10.0.0.1')).toBe(true);
    expect(entryMatchesHost(entries[1]!, 'good.lab')).toBe(true);
    expect(entryMatchesHost(entries[1]!, 'bad.lab')).toBe(false);
    expect(entryMatchesHost(entries[1]!, 'lab')).toBe(false);
  });
});
