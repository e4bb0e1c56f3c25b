// Passwordless sign-in to Azure Database for PostgreSQL: the "password" is a Microsoft Entra
// access token for the database service, got from @azure/identity (a managed identity, or the
// app's own credential). node-postgres asks for the password each time the pool opens a
// connection; a token is reused until five minutes before it expires, then a new one is fetched,
// so a connection opened an hour later never logs in with an expired token. Connections already
// open stay valid past the token's expiry: the server checks the token only at login.
import type { TokenCredential } from '@azure/identity';

/** The scope Azure Database for PostgreSQL accepts tokens for (all clouds' public endpoint). */
export const AZURE_POSTGRES_SCOPE = 'https://ossrdbms-aad.database.windows.net/.default';

export interface EntraPasswordOptions {
  /** Fetch a new token when the cached one expires within this long (default 5 min). */
  refreshBeforeMs?: number;
  now?: () => number;
  /** Told once per fetched token (never the token itself). */
  onToken?: (info: { expiresOn: string }) => void;
}

/** pg's `password` option: an async function answering a current Entra token. */
export function entraPassword(credential: TokenCredential, opts: EntraPasswordOptions = {}): () => Promise<string> {
  const refreshBeforeMs = opts.refreshBeforeMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  let cached: { token: string; expiresOn: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    let token;
    try {
      token = await credential.getToken(AZURE_POSTGRES_SCOPE);
    } catch (err) {
      throw new Error(`Could not get a Microsoft Entra token for the state database (STATE_DB_AUTH=entra): ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!token?.token) throw new Error('Could not get a Microsoft Entra token for the state database (STATE_DB_AUTH=entra): the credential returned none.');
    cached = { token: token.token, expiresOn: token.expiresOnTimestamp };
    opts.onToken?.({ expiresOn: new Date(token.expiresOnTimestamp).toISOString() });
    return token.token;
  };

  return () => {
    if (cached && cached.expiresOn - now() > refreshBeforeMs) return Promise.resolve(cached.token);
    // Ten connections opening at once share one token request.
    inFlight ??= fetchToken().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
