import type { ConfigureHostJobData, RelabelHostStep } from '@hostnet/contracts';
import { RunSpecUnavailableError } from '@hostnet/platform';
import { hostSpecHash, type HostRunSpec } from '@hostnet/host-spec';
import { ubuntuOvsIntent } from '../../../../libs/render/test/fixtures/reference-intents';
import { thrown } from '../../../../test/support/error-expectations';
import { storedRunSpec } from './stored-run-spec';

const hostId = ubuntuOvsIntent.hostId;
const relabel: RelabelHostStep = { rolloutId: 'rl-1', layout: 'both', changes: [], restartAgent: false };
const spec = (step?: RelabelHostStep): HostRunSpec => ({
  host: { id: hostId, name: 'kvm1', ipAddress: '192.0.2.11', zoneId: 'z1' },
  intent: ubuntuOvsIntent,
  specHash: hostSpecHash(ubuntuOvsIntent, step),
});
const job = (specHash: string, step?: RelabelHostStep): ConfigureHostJobData => ({
  zoneId: 'z1', hostId, hostName: 'kvm1', specHash, mode: 'apply', force: false, trigger: { kind: 'operator' }, requestId: 'r1', requestedAt: '2026-01-01T00:00:00Z',
  ...(step ? { relabel: step } : {}),
});

describe('storedRunSpec', () => {
  it('hands over the spec api stored when it is this host\'s and hashes to the job\'s hash (relabel step included)', () => {
    expect(storedRunSpec(job(spec().specHash), spec())).toEqual(spec());
    expect(storedRunSpec(job(spec(relabel).specHash, relabel), spec(relabel))).toEqual(spec(relabel));
  });

  it('fails permanently, naming what to do, when the entry is missing, another host\'s, or not what the hash says', () => {
    const other = { ...spec(), host: { ...spec().host, id: 'h-other' } };
    const tampered = { ...spec(), intent: { ...ubuntuOvsIntent, hostname: 'elsewhere' } };
    const cases: [ConfigureHostJobData, HostRunSpec | undefined, RegExp][] = [
      [job(spec().specHash), undefined, /is not in Redis \(expired/],
      [job(spec().specHash), other, /the stored entry is for host h-other/],
      [job(spec().specHash), tampered, /hashes to [0-9a-f]{64}, not the job's hash/],
      // A plain run's spec does not serve a relabel step's job (its hash covers the step).
      [job(spec().specHash, relabel), spec(), /not the job's hash/],
    ];
    for (const [j, stored, reason] of cases) {
      const error = thrown(() => storedRunSpec(j, stored));
      expect(error).toBeInstanceOf(RunSpecUnavailableError);
      expect((error as RunSpecUnavailableError).permanent).toBe(true);
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message).toMatch(/trigger the host again through api/);
    }
  });
});
