import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfileSetFile } from './profile-file.loader';
import { MAX_PROFILE_FILE_BYTES, parseProfileSet } from './profile-set.parser';
import { siteProfileMapYaml as siteWithHosts } from '../../test-support/site-profile-map';
import { readSimpleYaml } from './yaml/simple-yaml.reader';

describe('profile files at scale', () => {
  it('parses a 40k-host profile map on the fast path, with every host as written', () => {
    const text = siteWithHosts(40_000);
    expect(readSimpleYaml(text).kind).toBe('value');
    const set = parseProfileSet(text, 'site.yaml');
    expect(Object.keys(set.hosts)).toHaveLength(40_000);
    expect(set.hosts.kvm39999).toEqual({ profile: 'ovs', storageAddress: '10.0.156.63/16' });
    expect(set.hosts.kvm10!.hwaddrs).toEqual({ eth0: '52:54:00:00:00:0a' });
  });

  it('finds a duplicate host among 40k in linear time, with its line', () => {
    const text = siteWithHosts(40_000).replace('  kvm39999:', '  kvm7:');
    expect(() => parseProfileSet(text, 'site.yaml')).toThrow(/site\.yaml: line \d+ column 3: Map keys must be unique: "kvm7" appears again/);
  });

  describe('size cap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostnet-profile-cap-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses a file over 32 MiB before reading it, naming the file, the size and the limit', async () => {
      const file = join(dir, 'huge.yaml');
      writeFileSync(file, '');
      truncateSync(file, MAX_PROFILE_FILE_BYTES + 1);
      await expect(loadProfileSetFile(file)).rejects.toThrow(`${file}: (file): is 32.0 MiB, over the 32.0 MiB limit; fix:`);
    });

    it('refuses text over the limit handed to the parser directly', () => {
      expect(() => parseProfileSet('#'.repeat(MAX_PROFILE_FILE_BYTES + 1), 'big.yaml')).toThrow(/over the 32\.0 MiB limit/);
    });
  });
});
