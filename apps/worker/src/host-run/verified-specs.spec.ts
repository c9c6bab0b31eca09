import type { ConfigureHostJobData, RelabelHostStep } from '@hostnet/contracts';
import { RunSpecUnavailableError } from '@hostnet/platform';
import { hostSpecHash, type HostRunSpec } from '@hostnet/host-spec';
import { expectedLiveState } from '@hostnet/intent';
import { ubuntuOvsIntent } from '../../../../libs/render/test/fixtures/reference-intents';
import { candidatePaths } from './candidate-paths';
import { VerifiedSpecs } from './verified-specs';

const hostId = ubuntuOvsIntent.hostId;
const specOf = (intent = ubuntuOvsIntent): HostRunSpec => ({
  host: { id: intent.hostId, name: 'kvm1', ipAddress: '192.0.2.11', zoneId: 'z1' },
  intent,
  specHash: hostSpecHash(intent),
});
const jobOf = (specHash: string, over: Partial<ConfigureHostJobData> = {}): ConfigureHostJobData => ({
  zoneId: 'z1', hostId, hostName: 'kvm1', specHash, mode: 'apply', force: false, trigger: { kind: 'operator' }, requestId: 'r1', requestedAt: '2026-01-01T00:00:00Z', ...over,
});

/** A repository over a map, counting reads; each read hands out a fresh copy, as a Redis GET would. */
function repositoryOf(...specs: HostRunSpec[]) {
  const stored = new Map(specs.map((s) => [s.specHash, JSON.stringify(s)]));
  const reads: string[] = [];
  return {
    reads,
    spec: async (hash: string) => (reads.push(hash), stored.has(hash) ? (JSON.parse(stored.get(hash)!) as HostRunSpec) : undefined),
  };
}

describe('VerifiedSpecs', () => {
  it('reads and checks a spec once, then serves jobs with its hash from memory, frozen, with its candidate paths and expected live state', async () => {
    const spec = specOf();
    const repository = repositoryOf(spec);
    const specs = new VerifiedSpecs(repository);
    const first = await specs.forJob(jobOf(spec.specHash));
    const again = await specs.forJob(jobOf(spec.specHash, { requestId: 'r2', mode: 'dry-run' }));
    expect(repository.reads).toEqual([spec.specHash]);
    expect(again).toBe(first);
    expect(first.spec).toEqual(spec);
    expect(first.paths).toEqual(candidatePaths(spec.intent));
    expect(first.expectedLive).toEqual(expectedLiveState(spec.intent));
    expect(Object.isFrozen(first.spec.intent.bridges)).toBe(true);
    expect(Object.isFrozen(first.expectedLive.links[0])).toBe(true);
  });

  it('checks anew, and refuses as before, a job of another host or another relabel step under a kept hash', async () => {
    const spec = specOf();
    const repository = repositoryOf(spec);
    const specs = new VerifiedSpecs(repository);
    await specs.forJob(jobOf(spec.specHash));
    await expect(specs.forJob(jobOf(spec.specHash, { hostId: 'h-other' }))).rejects.toThrow(RunSpecUnavailableError);
    const relabel: RelabelHostStep = { rolloutId: 'rl-1', layout: 'both', changes: [], restartAgent: false };
    await expect(specs.forJob(jobOf(spec.specHash, { relabel }))).rejects.toThrow(/not the job's hash/);
    expect(repository.reads).toHaveLength(3);
  });

  it('reads again a host renamed or moved in CloudStack under the same intent: its name picks its SSH endpoint', async () => {
    const spec = specOf();
    const renamed = { ...spec, host: { ...spec.host, name: 'kvm1.lab' } };
    const stored = new Map([[spec.specHash, spec]]);
    const reads: string[] = [];
    const specs = new VerifiedSpecs({ spec: async (hash: string) => (reads.push(hash), structuredClone(stored.get(hash))) });
    await specs.forJob(jobOf(spec.specHash));
    stored.set(spec.specHash, renamed); // api's next trigger stored the host as CloudStack has it now
    expect((await specs.forJob(jobOf(spec.specHash, { hostName: 'kvm1.lab' }))).spec.host.name).toBe('kvm1.lab');
    expect(reads).toHaveLength(2);
    await specs.forJob(jobOf(spec.specHash, { hostName: 'kvm1.lab', zoneId: 'z2' }));
    expect(reads).toHaveLength(3);
  });

  it('answers a missing spec as storedRunSpec does, and forgets the least recently used beyond its capacity', async () => {
    const a = specOf();
    const b = specOf({ ...ubuntuOvsIntent, hostname: 'kvm-b' });
    const c = specOf({ ...ubuntuOvsIntent, hostname: 'kvm-c' });
    const repository = repositoryOf(a, b, c);
    const specs = new VerifiedSpecs(repository, 2);
    await expect(specs.forJob(jobOf('0'.repeat(64)))).rejects.toThrow(/is not in Redis/);
    await specs.forJob(jobOf(a.specHash));
    await specs.forJob(jobOf(b.specHash));
    await specs.forJob(jobOf(a.specHash)); // a is the most recent now
    await specs.forJob(jobOf(c.specHash)); // b goes
    repository.reads.length = 0;
    await specs.forJob(jobOf(a.specHash));
    await specs.forJob(jobOf(c.specHash));
    await specs.forJob(jobOf(b.specHash));
    expect(repository.reads).toEqual([b.specHash]);
  });
});
