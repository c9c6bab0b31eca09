import { CloudStackApiError } from '@hostnet/cloudstack';
import { isPermanentError } from '@hostnet/contracts';
import { HostEnableError } from '../jobs/host-enable.service';
import type { CloudStackCallRecord } from '../hosts/host-status.types';

/** The way back from a host CloudStack did not add: its credentials are spent, so only a new add request helps. */
export const RESEND_ADD = 're-send POST /hosts/add (hostnet add-host)';

/**
 * The host was not added to CloudStack (addHost failed, or its credentials are gone): no enable was tried.
 * A HostEnableError so the result handler's retry and audit trail stay one path; `fix` says what the operator does.
 */
export class HostAddError extends HostEnableError {
  constructor(
    cause: unknown,
    calls: CloudStackCallRecord[],
    permanent: boolean,
    readonly fix: string,
  ) {
    super(cause, calls, permanent);
  }
}

/**
 * Whether a failed addHost is worth sending again by itself. CloudStack's own 530 answer to addHost ("Failed to
 * add host") comes after it logged in to the host and ran its agent setup: a wrong password, an agent that did
 * not connect, a guid already known. The same request seconds later does all that again and fails the same way,
 * so it is an operator's. No answer, a 429, or a proxy's 5xx (no CloudStack errorcode) stays retried.
 */
export function addHostRetryable(error: unknown): boolean {
  if (error instanceof CloudStackApiError && error.httpStatus === 530 && error.errorCode !== undefined) return false;
  return !isPermanentError(error);
}
