// Reads an access token's claims without checking its signature: the doctor only wants to show
// what Entra put in it (app id, tenant, application permissions in `roles`), never to trust it.

export interface TokenClaims {
  appId?: string;
  tenantId?: string;
  roles: string[];
  /** "app" for an app-only token (Entra v2 tokens say so in idtyp). */
  idtyp?: string;
}

export function decodeAccessToken(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!claims || typeof claims !== 'object') return undefined;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const appId = str(claims.appid) ?? str(claims.azp);
  const tenantId = str(claims.tid);
  const idtyp = str(claims.idtyp);
  return { roles, ...(appId ? { appId } : {}), ...(tenantId ? { tenantId } : {}), ...(idtyp ? { idtyp } : {}) };
}

/**
 * The license service's question "may I set usage locations?", answered as doctor reads it: from
 * the roles claim of the app's access token (a sandbox's token lists its fixture's app.roles). A
 * token that cannot be had or read is a no: the preflight then names the permission instead.
 */
export function usageLocationWritableFrom(accessToken: () => Promise<string>, mayWrite: (roles: readonly string[]) => boolean): () => Promise<boolean> {
  return async () => {
    const claims = decodeAccessToken(await accessToken());
    return !!claims && mayWrite(claims.roles);
  };
}
