import type { HostRunRegistry, InFlightRun } from './host-run.registry';
import type { InFlightRunChecker } from './in-flight-run.checker';

/**
 * Claims the host for `run`, or answers the live run in flight; a lost run (no job, no pending
 * result) is replaced, and `onLost` told which.
 */
export async function claimHostRun(
  runs: HostRunRegistry,
  checker: InFlightRunChecker,
  hostId: string,
  run: InFlightRun,
  onLost: (lost: InFlightRun) => void,
): Promise<InFlightRun | undefined> {
  for (;;) {
    const current = await runs.claim(hostId, run);
    if (!current || (await checker.stillInFlight(current))) return current;
    if (await runs.replace(hostId, current.runId, run)) {
      onLost(current);
      return undefined;
    }
  }
}
