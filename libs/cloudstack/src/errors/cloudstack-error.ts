import { HostnetError } from '@hostnet/contracts';

/**
 * Typed errors raised by libs/cloudstack. None of them carries the secret key, the apikey or the
 * signature: `params` is always the sanitized copy (see param-masking.ts), and the underlying
 * axios error is never attached because its config holds the signed request.
 */

/** What went wrong, coarse enough for callers to branch on. */
export type CloudStackErrorKind =
  | 'config' // bad client options (names the environment variable)
  | 'validation' // a request we refuse to send (client-side check)
  | 'auth' // 401: wrong keys, bad signature, disabled user, unknown command
  | 'param' // 431 (and 430): CloudStack rejected a parameter
  | 'not-found' // HTTP 404 or a named object that does not exist
  | 'rate-limited' // 429: api.throttling
  | 'internal' // 530: CloudStack internal error
  | 'server' // other 5xx (including CloudStack's 531-537 business errors)
  | 'client' // other 4xx
  | 'network' // connection refused/reset, DNS
  | 'timeout' // no complete answer within timeoutMs
  | 'protocol' // an answer we cannot understand (not JSON, missing wrapper or field)
  | 'async-job' // an async job finished with jobstatus 2
  | 'async-timeout'; // an async job still pending at the deadline

/** Fields shared by every CloudStack error. */
export interface CloudStackErrorInit {
  kind: CloudStackErrorKind;
  message: string;
  command?: string;
  params?: Record<string, string>;
  /** Whether resending the same request cannot help; default true (only the transport knows otherwise). */
  permanent?: boolean;
}

/** Base class of every error thrown by libs/cloudstack. */
export class CloudStackError extends HostnetError {
  readonly kind: CloudStackErrorKind;
  /** The CloudStack command (e.g. `listHosts`), when the error belongs to a request. */
  readonly command?: string;
  /** The request parameters without apikey/signature; passwords are masked. */
  readonly params: Record<string, string>;
  /** False only when retrying the same request later may succeed (network, timeout, 5xx, 429). */
  readonly permanent: boolean;

  constructor(init: CloudStackErrorInit) {
    super(init.message);
    this.kind = init.kind;
    this.command = init.command;
    this.params = init.params ?? {};
    this.permanent = init.permanent ?? true;
  }
}

/** Client options are unusable; `variable` names the environment variable to fix. */
export class CloudStackConfigError extends CloudStackError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super({ kind: 'config', message: `${variable}: ${message}` });
  }
}

/** A request refused before sending; `field` names the offending argument. */
export class CloudStackValidationError extends CloudStackError {
  constructor(
    readonly field: string,
    message: string,
    command?: string,
  ) {
    super({ kind: 'validation', message: `${field}: ${message}`, command });
  }
}

/** The HTTP status mapped to an error kind; 53x other than 530 are CloudStack business errors. */
export function kindForStatus(status: number): CloudStackErrorKind {
  if (status === 401) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status === 430 || status === 431) return 'param';
  if (status === 530) return 'internal';
  if (status >= 500) return 'server';
  return 'client';
}

/**
 * Whether an HTTP status is worth retrying: 429 and 5xx, except CloudStack's 531-537
 * (permission denied, resource limit, insufficient capacity, in use, …): those are deterministic
 * answers about the request, and repeating it seconds later gives the same answer.
 */
export function isTransientStatus(status: number): boolean {
  if (status === 429) return true;
  if (status >= 531 && status <= 537) return false;
  return status >= 500 && status <= 599;
}

/** An HTTP error answer from CloudStack (or a proxy in front of it). */
export class CloudStackApiError extends CloudStackError {
  /** The HTTP status code (CloudStack sets it equal to `errorcode`). */
  readonly httpStatus: number;
  /** CloudStack's `errorcode`, when the body carried one. */
  readonly errorCode?: number;
  /** CloudStack's `cserrorcode` (e.g. 4350, 9999); absent on 401. */
  readonly csErrorCode?: number;
  /** CloudStack's `errortext`, or the HTTP status line when the body was not CloudStack's. */
  readonly errorText: string;

  constructor(init: {
    command: string;
    params: Record<string, string>;
    httpStatus: number;
    errorCode?: number;
    csErrorCode?: number;
    errorText: string;
  }) {
    const cs = init.csErrorCode === undefined ? '' : ` (cserrorcode ${init.csErrorCode})`;
    // CloudStack's 401 names no setting: ours does, since a wrong or mismatched key pair is the usual cause
    const fix = init.httpStatus === 401 ? '; check CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY (the key pair of one root admin account)' : '';
    super({
      kind: kindForStatus(init.httpStatus),
      message: `CloudStack ${init.command} failed with HTTP ${init.httpStatus}${cs}: ${init.errorText}${fix}`,
      command: init.command,
      params: init.params,
      permanent: !isTransientStatus(init.httpStatus),
    });
    this.httpStatus = init.httpStatus;
    this.errorCode = init.errorCode;
    this.csErrorCode = init.csErrorCode;
    this.errorText = init.errorText;
  }

  /** True when the server certainly did not act on the request (safe to resend a mutation). */
  get requestNotProcessed(): boolean {
    return this.httpStatus === 429 || this.httpStatus === 503;
  }
}

/** No usable HTTP answer: connection refused/reset, DNS failure, or timeout. */
export class CloudStackNetworkError extends CloudStackError {
  /** Node/axios error code such as ECONNREFUSED, when known. */
  readonly code?: string;

  constructor(init: {
    command: string;
    params: Record<string, string>;
    timedOut: boolean;
    /** Node/axios error code such as ECONNREFUSED, when known. */
    code?: string;
    message: string;
  }) {
    super({
      kind: init.timedOut ? 'timeout' : 'network',
      message: init.message,
      command: init.command,
      params: init.params,
      permanent: false,
    });
    this.code = init.code;
  }

  /** Connection never established: the request cannot have reached CloudStack. */
  get requestNotProcessed(): boolean {
    return ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(
      this.code ?? '',
    );
  }
}

/** CloudStack answered something this client cannot interpret. */
export class CloudStackProtocolError extends CloudStackError {
  constructor(message: string, command?: string, params?: Record<string, string>) {
    super({ kind: 'protocol', message, command, params });
  }
}

/** An async job ended with jobstatus 2; carries the job's errorcode/errortext. */
export class CloudStackAsyncJobError extends CloudStackError {
  readonly jobId: string;
  readonly errorCode?: number;
  readonly csErrorCode?: number;
  readonly errorText: string;

  constructor(init: {
    command: string;
    params: Record<string, string>;
    jobId: string;
    errorCode?: number;
    csErrorCode?: number;
    errorText: string;
  }) {
    const code = init.errorCode === undefined ? '' : ` (errorcode ${init.errorCode})`;
    super({
      kind: 'async-job',
      message: `CloudStack ${init.command} job ${init.jobId} failed${code}: ${init.errorText}`,
      command: init.command,
      params: init.params,
    });
    this.jobId = init.jobId;
    this.errorCode = init.errorCode;
    this.csErrorCode = init.csErrorCode;
    this.errorText = init.errorText;
  }
}

/** An async job still pending when our deadline passed; it may still finish in CloudStack. */
export class CloudStackAsyncTimeoutError extends CloudStackError {
  constructor(
    readonly jobId: string,
    command: string,
    params: Record<string, string>,
    waitedMs: number,
  ) {
    super({
      kind: 'async-timeout',
      message:
        `CloudStack ${command} job ${jobId} still pending after ${waitedMs} ms; ` +
        `it may still complete (check with queryAsyncJobResult jobid=${jobId})`,
      command,
      params,
    });
  }
}
