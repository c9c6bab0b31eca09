/** cserrorcode values from CloudStack's CSExceptionErrorCode used by the simulator. */
export const CsErrorCode = {
  /** ServerApiException (parameter processing, paging pairs, generic server errors). */
  ServerApi: 9999,
  InvalidParameterValue: 4350,
  CloudRuntime: 4250,
} as const;

/** An error CloudStack would serialize as an ExceptionResponse; `errorCode` is also the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly errorText: string,
    /** Absent on the signature/credentials 401, which CloudStack writes without a cserrorcode. */
    readonly csErrorCode?: number,
  ) {
    super(errorText);
    this.name = 'ApiError';
  }

  /** 431 from parameter processing: missing required or unparseable parameter (ServerApiException). */
  static param(errorText: string): ApiError {
    return new ApiError(431, errorText, CsErrorCode.ServerApi);
  }

  /** 431 thrown by the service layer (InvalidParameterValueException). */
  static invalidValue(errorText: string): ApiError {
    return new ApiError(431, errorText, CsErrorCode.InvalidParameterValue);
  }

  /** 530 internal error (CloudRuntimeException). */
  static internal(errorText: string): ApiError {
    return new ApiError(530, errorText, CsErrorCode.CloudRuntime);
  }

  /** The bad-signature / unknown-key / unknown-command 401. */
  static unauthorized(): ApiError {
    return new ApiError(401, 'unable to verify user credentials and/or request signature');
  }
}
