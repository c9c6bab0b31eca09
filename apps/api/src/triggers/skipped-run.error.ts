import { ConflictException, HttpException, UnprocessableEntityException } from '@nestjs/common';
import type { HostTriggerResult } from './host-trigger.service';

/** One host's trigger that ran nothing: 409 while another run or a rollout holds the host, 422 for a spec that cannot run. */
export function skippedRunError(result: HostTriggerResult & { skipped: string }): HttpException {
  const body = { message: result.skipped, hostId: result.hostId, hostName: result.hostName };
  return result.conflict ? new ConflictException({ statusCode: 409, ...body }) : new UnprocessableEntityException({ statusCode: 422, ...body });
}

/** Hosts named in a nothing-run answer's message; the body's `results` holds every one. */
const NAMED = 5;

/**
 * A cluster's or zone's trigger that ran no host at all (each one held by another run or a rollout, or
 * refused its spec): an error, so a script checking the status does not read it as started. 409 when
 * every host was held, else 422; the body keeps each host's answer. Undefined when any host ran.
 */
export function nothingRunError(target: string, results: HostTriggerResult[]): HttpException | undefined {
  if (results.length === 0 || results.some((r) => r.skipped === undefined)) return undefined;
  const named = results.slice(0, NAMED).map((r) => `${r.hostName}: ${r.skipped ?? ''}`);
  const more = results.length > NAMED ? `; … (${results.length} hosts in all, each in results)` : '';
  const body = { message: `no host of ${target} was run: ${named.join('; ')}${more}`, results };
  return results.every((r) => r.conflict) ? new ConflictException({ statusCode: 409, ...body }) : new UnprocessableEntityException({ statusCode: 422, ...body });
}
