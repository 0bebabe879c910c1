/** Claims of an Entra access token that the client reads. The signature is the API's business, not ours. */
export interface AccessTokenClaims {
  readonly roles: readonly string[];
  readonly audience: string | undefined;
  readonly expiresAt: Date | undefined;
}

export function readAccessTokenClaims(token: string): AccessTokenClaims {
  const payload = token.split('.')[1];
  if (payload === undefined) return { roles: [], audience: undefined, expiresAt: undefined };
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const roles = Array.isArray(claims.roles)
      ? claims.roles.filter((r): r is string => typeof r === 'string')
      : [];
    return {
      roles,
      audience: typeof claims.aud === 'string' ? claims.aud : undefined,
      expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined,
    };
  } catch {
    return { roles: [], audience: undefined, expiresAt: undefined };
  }
}

/**
 * The roles a 403 says are needed. MDE: "…required application permissions (Machine.Read.All,
 * Machine.ReadWrite.All) to access…"; Graph: "Missing application roles. API required roles: A,B, application
 * roles: X." Either way any one of them is enough.
 */
export function requiredRolesFromMessage(message: string): string[] {
  const graph = /required roles:\s*(.*?),?\s*application roles:/i.exec(message);
  const mde = /permissions?\s*\(([^)]*)\)/i.exec(message);
  const list = graph?.[1] ?? mde?.[1];
  if (list === undefined) return [];
  return list
    .split(',')
    .map((r) => r.trim())
    .filter((r) => /^[A-Za-z]+(\.[A-Za-z]+)+$/.test(r));
}
