import { HubError } from '../errors.js';

/**
 * Stable codes of everything the Defender client can fail with. The server, the CLI and "test connection" map
 * from these, so a code never changes meaning once released.
 */
export const DefenderErrorCode = {
  InvalidConfig: 'DEFENDER_INVALID_CONFIG',
  BaseUrlEndsWithApi: 'DEFENDER_BASE_URL_ENDS_WITH_API',
  WrongSecret: 'DEFENDER_AUTH_WRONG_SECRET',
  SecretIdInsteadOfValue: 'DEFENDER_AUTH_SECRET_ID_NOT_VALUE',
  SecretExpired: 'DEFENDER_AUTH_SECRET_EXPIRED',
  UnknownApplication: 'DEFENDER_AUTH_UNKNOWN_APPLICATION',
  UnknownTenant: 'DEFENDER_AUTH_UNKNOWN_TENANT',
  InvalidCertificate: 'DEFENDER_AUTH_INVALID_CERTIFICATE',
  AuthFailed: 'DEFENDER_AUTH_FAILED',
  TokenRejected: 'DEFENDER_AUTH_TOKEN_REJECTED',
  PermissionMissing: 'DEFENDER_PERMISSION_MISSING',
  HostUnreachable: 'DEFENDER_HOST_UNREACHABLE',
  WrongHost: 'DEFENDER_WRONG_HOST',
  TlsUntrusted: 'DEFENDER_TLS_UNTRUSTED',
  Throttled: 'DEFENDER_THROTTLED',
  NotFound: 'DEFENDER_NOT_FOUND',
  BadRequest: 'DEFENDER_BAD_REQUEST',
  ServerError: 'DEFENDER_SERVER_ERROR',
  NetworkError: 'DEFENDER_NETWORK_ERROR',
  InvalidResponse: 'DEFENDER_INVALID_RESPONSE',
  ExportExpired: 'DEFENDER_EXPORT_EXPIRED',
  ExportChanged: 'DEFENDER_EXPORT_SNAPSHOT_CHANGED',
  ExportFileEmpty: 'DEFENDER_EXPORT_FILE_EMPTY',
  Aborted: 'DEFENDER_ABORTED',
} as const;
export type DefenderErrorCode = (typeof DefenderErrorCode)[keyof typeof DefenderErrorCode];

interface DefenderErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
  /** HTTP status of the answer that caused the error, when there was one. */
  status?: number | undefined;
}

export class DefenderError extends HubError {
  declare readonly code: DefenderErrorCode;
  readonly status: number | undefined;

  constructor(code: DefenderErrorCode, message: string, options: DefenderErrorOptions = {}) {
    super(code, message, options);
    this.status = options.status;
  }
}

/** What Entra ID said when it refused a token, kept so support can quote the trace and correlation ids. */
export interface EntraErrorBody {
  readonly error: string;
  readonly aadsts: readonly number[];
  readonly description: string;
  readonly traceId: string | undefined;
  readonly correlationId: string | undefined;
}

export class DefenderAuthError extends DefenderError {
  readonly entra: EntraErrorBody | undefined;

  constructor(
    code: DefenderErrorCode,
    message: string,
    options: DefenderErrorOptions & { entra?: EntraErrorBody } = {},
  ) {
    super(code, message, options);
    this.entra = options.entra;
  }
}

export class DefenderPermissionError extends DefenderError {
  /** Roles the API would accept (any one of them is enough). */
  readonly requiredRoles: readonly string[];
  /** Roles the access token actually carried. */
  readonly grantedRoles: readonly string[];

  constructor(
    message: string,
    options: DefenderErrorOptions & { requiredRoles: readonly string[]; grantedRoles: readonly string[] },
  ) {
    super(DefenderErrorCode.PermissionMissing, message, options);
    this.requiredRoles = options.requiredRoles;
    this.grantedRoles = options.grantedRoles;
  }
}

/** An HTTP answer from the Defender/Graph API that is an error; `apiCode` is the body's `error.code`. */
export class DefenderApiError extends DefenderError {
  readonly apiCode: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    code: DefenderErrorCode,
    message: string,
    options: DefenderErrorOptions & { apiCode?: string; requestId?: string; retryAfterMs?: number },
  ) {
    super(code, message, options);
    this.apiCode = options.apiCode;
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs;
  }
}
