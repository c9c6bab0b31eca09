import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnownHostsIndex } from './known-hosts.index';
import { KnownHostsStore } from './known-hosts.store';
import { entryMatchesHost, hashKnownHostName, parseKnownHosts } from './known-hosts';
import { generateEd25519KeyPair } from './ssh-key-pair';

const blobOf = () => Buffer.from(generateEd25519KeyPair().publicKey.split(' ')[1] as string, 'base64');
const line = (name: string, blob: Buffer) => `${name} ssh-ed25519 ${blob.toString('base64')}\n`;

describe('known_hosts index and store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-known-hosts-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a lookup exactly as matching every line would, in file order', () => {
    const [a, b, c] = [blobOf(), blobOf(), blobOf()];
    const text = [
      line('[127.0.0.1]:2201', a),
      line('[127.0.0.1]:2202,KVM7.example', b),
      line('*.example,!kvm9.example', c),
      line(hashKnownHostName('[127.0.0.1]:2201', Buffer.alloc(20, 7)), b),
      `@revoked ${line('[127.0.0.1]:2201', c)}`,
      line('[127.0.0.1]:220?', c),
    ].join('');
    const entries = parseKnownHosts(text);
    const index = new KnownHostsIndex(entries);
    for (const name of ['[127.0.0.1]:2201', '[127.0.0.1]:2202', '[127.0.0.1]:2203', 'kvm7.example', 'kvm9.example', 'other']) {
      expect(index.matching(name)).toEqual(entries.filter((e) => entryMatchesHost(e, name)));
    }
    expect(index.matching('[127.0.0.1]:2201')).toHaveLength(4);
  });

  it('sees a line another process appended, and its own recorded keys, without losing either', async () => {
    const file = join(dir, 'known_hosts');
    const [a, b, c] = [blobOf(), blobOf(), blobOf()];
    writeFileSync(file, line('[127.0.0.1]:2201', a).trimEnd()); // no final newline: the next record must add one
    const store = new KnownHostsStore(file);
    expect(await store.check('127.0.0.1', 2201, a)).toEqual({ kind: 'trusted' });
    expect(await store.check('127.0.0.1', 2202, b)).toEqual({ kind: 'unknown' });

    expect(await store.recordIfUnknown('127.0.0.1', 2202, b)).toEqual({ kind: 'trusted' });
    expect(await new KnownHostsStore(file).check('127.0.0.1', 2202, c)).toEqual({ kind: 'mismatch', knownFingerprints: [expect.stringMatching(/^SHA256:/)] });

    appendFileSync(file, line('[127.0.0.1]:2203', c)); // another process (an operator's ssh-keyscan, a second worker)
    expect(await store.check('127.0.0.1', 2203, c)).toEqual({ kind: 'trusted' });
    expect(await store.check('127.0.0.1', 2203, a)).toMatchObject({ kind: 'mismatch' });

    writeFileSync(file, line('[127.0.0.1]:2201', b)); // rewritten (ssh-keygen -R): the old pins are gone
    expect(await store.check('127.0.0.1', 2202, b)).toEqual({ kind: 'unknown' });
    expect(await store.check('127.0.0.1', 2201, a)).toMatchObject({ kind: 'mismatch' });
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('records concurrent first connections of many hosts once each, every line whole', async () => {
    const file = join(dir, 'known_hosts_many');
    const store = new KnownHostsStore(file);
    const blobs = Array.from({ length: 40 }, blobOf);
    const verdicts = await Promise.all(blobs.map((blob, i) => store.recordIfUnknown('127.0.0.1', 3000 + i, blob)));
    expect(verdicts.every((v) => v.kind === 'trusted')).toBe(true);
    const entries = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(entries).toHaveLength(40);
    for (const [i, blob] of blobs.entries()) expect(await new KnownHostsStore(file).check('127.0.0.1', 3000 + i, blob)).toEqual({ kind: 'trusted' });
  });
});
