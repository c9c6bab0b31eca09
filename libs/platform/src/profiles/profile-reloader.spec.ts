import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProfileSet, ProfileLoadError } from '@hostnet/intent';
import { HostSpecService } from '@hostnet/host-spec';
import { ProfileReloader } from './profile-reloader';
import { SighupProfileReload } from './sighup-profile-reload';

const profilesYaml = (mtu: number) => `version: 1
profiles:
  p1:
    backend: linux
    mtu: ${mtu}
    networks:
      - match: { label: cloudbr0 }
        nic: eth0
selectors:
  - profile: p1
`;

beforeAll(() => Logger.overrideLogger(false));

describe('ProfileReloader', () => {
  let dir: string;
  let file: string;
  let specs: HostSpecService;
  let reloader: ProfileReloader;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hostnet-reload-'));
    file = join(dir, 'profiles.yaml');
    writeFileSync(file, profilesYaml(1500));
    specs = new HostSpecService(parseProfileSet(profilesYaml(1500), file));
    reloader = new ProfileReloader(file, specs);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('swaps in a valid file and says what it loaded', async () => {
    writeFileSync(file, profilesYaml(9000));
    await expect(reloader.reload('test')).resolves.toMatchObject({ file, profiles: 1, selectors: 1, hosts: 0 });
    expect(specs.profiles.profiles.p1!.mtu).toBe(9000);
  });

  it('keeps the previous profiles when the file is invalid, and names the file and the field', async () => {
    const before = specs.profiles;
    writeFileSync(file, profilesYaml(9000).replace('backend: linux', 'backend: bsd'));
    const error = await reloader.reload('test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileLoadError);
    expect((error as Error).message).toContain(`${file}: profiles.p1.backend:`);
    expect(specs.profiles).toBe(before);
  });

  it('keeps the previous profiles when the file is gone', async () => {
    const before = specs.profiles;
    rmSync(file);
    await expect(reloader.reload('test')).rejects.toThrow(/cannot be read \(ENOENT\)/);
    expect(specs.profiles).toBe(before);
  });

  it('runs reloads one at a time, in order: the last asked is the one that stays', async () => {
    const order: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sets = [1400, 9000].map((mtu) => parseProfileSet(profilesYaml(mtu), file));
    let call = 0;
    const slowThenFast = new ProfileReloader(file, specs, async () => {
      const mine = call++;
      if (mine === 0) await gate;
      order.push(mine);
      return sets[mine]!;
    });
    const first = slowThenFast.reload('a');
    const second = slowThenFast.reload('b');
    release();
    await Promise.all([first, second]);
    expect(order).toEqual([0, 1]);
    expect(specs.profiles.profiles.p1!.mtu).toBe(9000);
  });

  it('reloads on SIGHUP while its module lives, and not after', async () => {
    const sighup = new SighupProfileReload(reloader);
    const listenersBefore = process.listenerCount('SIGHUP');
    sighup.onModuleInit();
    try {
      writeFileSync(file, profilesYaml(9000));
      process.emit('SIGHUP', 'SIGHUP');
      await waitFor(() => specs.profiles.profiles.p1!.mtu === 9000);
    } finally {
      sighup.onModuleDestroy();
    }
    writeFileSync(file, profilesYaml(1400));
    expect(process.listenerCount('SIGHUP')).toBe(listenersBefore);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
