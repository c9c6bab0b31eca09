import type { ConfigureHostJobData } from '@hostnet/contracts';
import { RunSpecUnavailableError } from '@hostnet/platform';
import { hostSpecHash, type HostRunSpec } from '@hostnet/host-spec';

const RETRIGGER = 'trigger the host again through api (POST /hosts/:id/configure, or the relabel rollout), which stores a fresh spec';

/**
 * The spec api stored for this job, checked before anything touches the host: it must exist, be this
 * host's, and hash (intent, and the relabel step when there is one) to the job's specHash, so the
 * worker applies exactly what api derived and recorded, or nothing.
 */
export function storedRunSpec(job: ConfigureHostJobData, stored: HostRunSpec | undefined): HostRunSpec {
  const what = `run spec ${job.specHash} of host ${job.hostId}`;
  if (!stored) throw new RunSpecUnavailableError(`${what} is not in Redis (expired, or written by an api that did not store specs); ${RETRIGGER}`);
  if (stored.host?.id !== job.hostId || stored.intent?.hostId !== job.hostId) {
    throw new RunSpecUnavailableError(`${what}: the stored entry is for host ${String(stored.host?.id)}, not this job's; ${RETRIGGER}`);
  }
  const actual = hostSpecHash(stored.intent, job.relabel);
  if (stored.specHash !== job.specHash || actual !== job.specHash) {
    throw new RunSpecUnavailableError(`${what}: the stored entry hashes to ${actual}, not the job's hash; ${RETRIGGER}`);
  }
  return stored;
}
