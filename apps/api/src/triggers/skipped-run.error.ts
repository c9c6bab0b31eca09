import { ConflictException, HttpException, UnprocessableEntityException } from '@nestjs/common';
import type { HostTriggerResult } from './host-trigger.service';

/** One host's trigger that ran nothing: 409 while another run or a rollout holds the host, 422 for a spec that cannot run. */
export function skippedRunError(result: HostTriggerResult & { skipped: string }): HttpException {
  const body = { message: result.skipped, hostId: result.hostId, hostName: result.hostName };
  return result.conflict ? new ConflictException({ statusCode: 409, ...body }) : new UnprocessableEntityException({ statusCode: 422, ...body });
}
