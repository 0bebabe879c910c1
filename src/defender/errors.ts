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
  HuntingQueryInvalid: 'HUNTING_QUERY_INVALID',
  HuntingResultTooLarge: 'HUNTING_RESULT_TOO_LARGE',
  HuntingQuotaExceeded: 'HUNTING_QUOTA_EXCEEDED',
  ActionAlreadyInProgress: 'DEFENDER_ACTION_ALREADY_IN_PROGRESS',
} as const;
export type DefenderErrorCode = (typeof DefenderErrorCode)[keyof typeof DefenderErrorCode];

interface DefenderErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
  /** HTTP status of the answer that caused the error, when there was one. */
  status?: number | undefined;
}

/**
 * The hub's answer to a Defender failure: a bad gateway (the upstream service failed), unless the settings
 * or the query are bad (the caller's doing) or the service asks to wait.
 */
function httpStatusOf(code: DefenderErrorCode): number {
  switch (code) {
    case DefenderErrorCode.InvalidConfig:
    case DefenderErrorCode.BaseUrlEndsWithApi:
    case DefenderErrorCode.HuntingQueryInvalid:
    case DefenderErrorCode.HuntingResultTooLarge:
      return 400;
    case DefenderErrorCode.Throttled:
    case DefenderErrorCode.HuntingQuotaExceeded:
      return 503;
    default:
      return 502;
  }
}

export class DefenderError extends HubError {
  declare readonly code: DefenderErrorCode;
  /** The status Defender answered with, when it answered; `httpStatus` is the hub's own answer. */
  readonly status: number | undefined;

  constructor(code: DefenderErrorCode, message: string, options: DefenderErrorOptions = {}) {
    super(code, message, { ...options, httpStatus: httpStatusOf(code) });
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

/** `(Entra AADSTS7000222; trace …, correlation …)`: what support asks for, appended to sign-in errors. */
export function entraReference(entra: EntraErrorBody): string {
  return `(Entra ${entra.aadsts.map((c) => `AADSTS${c}`).join(', ')}; trace ${entra.traceId ?? 'n/a'}, correlation ${entra.correlationId ?? 'n/a'})`;
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

/** The least privileged Azure built-in role that reads Defender for Cloud's scores, assessments and findings. */
export const ARM_READ_ROLE = 'Security Reader';

/**
 * Azure Resource Manager refused a Defender for Cloud read on one subscription (`403 AuthorizationFailed`): the
 * app holds no role there that grants the action. Code DEFENDER_PERMISSION_MISSING, like every missing permission;
 * `subscriptionId` and `action` say where and what. The other subscriptions can still be read.
 */
export class ArmAuthorizationError extends DefenderPermissionError {
  readonly subscriptionId: string | undefined;
  /** The RBAC action ARM named, e.g. `Microsoft.Security/assessments/read`. */
  readonly action: string | undefined;

  constructor(
    message: string,
    options: DefenderErrorOptions & { subscriptionId: string | undefined; action: string | undefined },
  ) {
    super(message, {
      ...options,
      requiredRoles: [ARM_READ_ROLE],
      grantedRoles: [],
      details: {
        subscriptionId: options.subscriptionId,
        action: options.action,
        requiredRole: ARM_READ_ROLE,
      },
    });
    this.subscriptionId = options.subscriptionId;
    this.action = options.action;
  }
}

/** An HTTP answer from the Defender/Graph API that is an error; `apiCode` is the body's `error.code`. */
export class DefenderApiError extends DefenderError {
  readonly apiCode: string | undefined;
  /** The body's `error.message`, verbatim (hunting keeps it: it names the query's mistake and its position). */
  readonly apiMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    code: DefenderErrorCode,
    message: string,
    options: DefenderErrorOptions & {
      apiCode?: string;
      apiMessage?: string;
      requestId?: string;
      retryAfterMs?: number;
    },
  ) {
    super(code, message, options);
    this.apiCode = options.apiCode;
    this.apiMessage = options.apiMessage;
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Defender refused a response action because one of the same kind is still pending or in progress on the device
 * (`400 ActiveRequestAlreadyExists`). `pendingActionId` is the action already under way, when the client could
 * find it; a caller that wanted the action done can follow that one instead of asking again.
 */
export class ActionAlreadyInProgressError extends DefenderApiError {
  declare readonly code: typeof DefenderErrorCode.ActionAlreadyInProgress;
  readonly machineId: string;
  readonly actionType: string;
  readonly pendingActionId: string | undefined;

  constructor(
    message: string,
    options: DefenderErrorOptions & {
      apiCode?: string;
      requestId?: string;
      machineId: string;
      actionType: string;
      pendingActionId: string | undefined;
    },
  ) {
    super(DefenderErrorCode.ActionAlreadyInProgress, message, options);
    this.machineId = options.machineId;
    this.actionType = options.actionType;
    this.pendingActionId = options.pendingActionId;
  }
}

/**
 * The hunting service refused the query as written (`HUNTING_QUERY_INVALID`): `serviceMessage` is its own text,
 * and `line`/`column` where it points, when it says (`... on line [1,14]`).
 */
export class HuntingQueryError extends DefenderApiError {
  readonly serviceMessage: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    message: string,
    options: DefenderErrorOptions & {
      serviceMessage: string;
      apiCode?: string;
      requestId?: string;
    },
  ) {
    super(DefenderErrorCode.HuntingQueryInvalid, message, { ...options, apiMessage: options.serviceMessage });
    this.serviceMessage = options.serviceMessage;
    const at = /line \[(\d+),\s*(\d+)\]/i.exec(options.serviceMessage);
    this.line = at === null ? undefined : Number(at[1]);
    this.column = at === null ? undefined : Number(at[2]);
  }
}

/**
 * Advanced hunting's quotas ran out (`HUNTING_QUOTA_EXCEEDED`): `cpu` is the execution-time budget, which
 * refills over minutes to an hour, `calls` the 45-a-minute limit after the retries gave up.
 */
export class HuntingQuotaError extends DefenderApiError {
  readonly quota: 'cpu' | 'calls';

  constructor(
    message: string,
    options: DefenderErrorOptions & {
      quota: 'cpu' | 'calls';
      apiMessage?: string;
      requestId?: string;
      retryAfterMs?: number;
    },
  ) {
    // In the details too, so an API answer tells a client which quota ran out and when to try again.
    const details = {
      quota: options.quota,
      ...(options.retryAfterMs === undefined
        ? {}
        : { retryAfterSeconds: Math.ceil(options.retryAfterMs / 1000) }),
    };
    super(DefenderErrorCode.HuntingQuotaExceeded, message, { ...options, details });
    this.quota = options.quota;
  }
}
