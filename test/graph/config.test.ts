import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import { credentialFor, GRAPH_SCOPE, TokenCredentialAuthProvider } from '../../src/graph/client';
import { authorityHostFor, describeGraphConfig, GraphConfigError, isLoopbackHost, splitBaseUrl } from '../../src/graph/config';
import { loadGraphConfig } from '../../src/config';

const TENANT = '8f0c1f6e-1111-4222-8333-444455556666';
const CLIENT = '0a1b2c3d-1111-4222-8333-444455556666';
const SECRET = 'super-secret-value-do-not-print';

function configError(env: NodeJS.ProcessEnv): GraphConfigError {
  try {
    loadGraphConfig(env);
  } catch (err) {
    assert.ok(err instanceof GraphConfigError, String(err));
    return err;
  }
  assert.fail('expected a GraphConfigError');
}

describe('graph config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-config-'));
  const fixture = join(dir, 'tenant.json');
  writeFileSync(fixture, '{}');
  const cert = join(dir, 'cert.pem');
  writeFileSync(cert, 'not a real certificate');
  const cert_ = () => cert;

  it('starts the sandbox when GRAPH_BASE_URL is unset, on 3979 by default', () => {
    const cfg = loadGraphConfig({ SANDBOX_TENANT: fixture });
    assert.deepEqual(cfg, { mode: 'sandbox', tenantFile: fixture, port: 3979, host: '127.0.0.1' });
    assert.equal((loadGraphConfig({ SANDBOX_TENANT: fixture, SANDBOX_PORT: '4100' }) as { port: number }).port, 4100);
  });

  it('names the variable when the sandbox settings are wrong', () => {
    assert.match(configError({ SANDBOX_TENANT: join(dir, 'missing.json') }).message, /SANDBOX_TENANT: file not found/);
    assert.match(configError({ SANDBOX_TENANT: fixture, SANDBOX_PORT: 'abc' }).message, /SANDBOX_PORT/);
    assert.match(configError({ SANDBOX_TENANT: fixture, SANDBOX_PORT: '70000' }).message, /SANDBOX_PORT/);
  });

  it('a loopback GRAPH_BASE_URL needs no credentials', () => {
    for (const url of ['http://127.0.0.1:3979/v1.0', 'http://localhost:4000', 'http://[::1]:3979/v1.0/', 'http://127.1.2.3:80/beta']) {
      const cfg = loadGraphConfig({ GRAPH_BASE_URL: url });
      assert.equal(cfg.mode, 'loopback', url);
    }
    const cfg = loadGraphConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:3979' });
    assert.equal(cfg.mode === 'loopback' && cfg.baseUrl, 'http://127.0.0.1:3979/v1.0');
  });

  it('a non-loopback GRAPH_BASE_URL without credentials is a clear error', () => {
    const e = configError({ GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0' });
    assert.match(e.message, /no credentials/);
    assert.match(e.message, /AZURE_CLIENT_SECRET/);
  });

  it('real Graph must be https', () => {
    const e = configError({ GRAPH_BASE_URL: 'http://graph.example.com/v1.0', AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET });
    assert.match(e.message, /GRAPH_BASE_URL: .*https/);
  });

  it('client secret, certificate and managed identity', () => {
    const base = { GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0' };
    const s = loadGraphConfig({ ...base, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET });
    assert.equal(s.mode === 'graph' && s.auth.kind, 'client-secret');
    assert.equal(s.mode === 'graph' && s.scope, GRAPH_SCOPE);
    const c = loadGraphConfig({ ...base, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_CERTIFICATE_PATH: cert });
    assert.equal(c.mode === 'graph' && c.auth.kind, 'certificate');
    const m = loadGraphConfig({ ...base, GRAPH_AUTH: 'managed-identity' });
    assert.deepEqual(m.mode === 'graph' && m.auth, { kind: 'managed-identity' });
    const mu = loadGraphConfig({ ...base, GRAPH_AUTH: 'managed-identity', AZURE_CLIENT_ID: CLIENT });
    assert.deepEqual(mu.mode === 'graph' && mu.auth, { kind: 'managed-identity', clientId: CLIENT });
  });

  it('names each missing credential variable and never prints a secret', () => {
    const base = { GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0' };
    const e1 = configError({ ...base, AZURE_CLIENT_SECRET: SECRET });
    assert.match(e1.message, /AZURE_TENANT_ID/);
    assert.match(e1.message, /AZURE_CLIENT_ID/);
    assert.ok(!e1.message.includes(SECRET));
    const e2 = configError({ ...base, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET, AZURE_CLIENT_CERTIFICATE_PATH: cert });
    assert.match(e2.message, /both set/);
    const e3 = configError({ ...base, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_CERTIFICATE_PATH: join(dir, 'nope.pem') });
    assert.match(e3.message, /AZURE_CLIENT_CERTIFICATE_PATH: file not found/);
    const e4 = configError({ ...base, GRAPH_AUTH: 'nonsense' });
    assert.match(e4.message, /GRAPH_AUTH/);
    const ok = loadGraphConfig({ ...base, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET });
    assert.ok(!describeGraphConfig(ok).includes(SECRET));
    assert.match(describeGraphConfig(ok), /client-secret for app/);
  });

  it('recognises loopback hosts and splits base URLs', () => {
    assert.ok(isLoopbackHost('127.0.0.1') && isLoopbackHost('localhost') && isLoopbackHost('[::1]'));
    assert.ok(!isLoopbackHost('graph.microsoft.com') && !isLoopbackHost('10.0.0.1') && !isLoopbackHost('127.example.com'));
    assert.deepEqual((({ host, version }) => ({ host, version }))(splitBaseUrl('https://graph.microsoft.us/beta')), { host: 'https://graph.microsoft.us/', version: 'beta' });
  });

  it('national clouds: the sign-in authority and the token scope follow GRAPH_BASE_URL', () => {
    const creds = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET };
    const cases: [string, string | undefined][] = [
      ['https://graph.microsoft.com/v1.0', undefined],
      ['https://graph.microsoft.us/v1.0', 'https://login.microsoftonline.us'],
      ['https://dod-graph.microsoft.us/v1.0', 'https://login.microsoftonline.us'],
      ['https://microsoftgraph.chinacloudapi.cn/v1.0', 'https://login.chinacloudapi.cn'],
    ];
    for (const [url, authority] of cases) {
      const cfg = loadGraphConfig({ ...creds, GRAPH_BASE_URL: url });
      assert.equal(cfg.mode, 'graph');
      if (cfg.mode !== 'graph' || cfg.auth.kind !== 'client-secret') return assert.fail(url);
      assert.equal(cfg.auth.authorityHost, authority, url);
      assert.equal(cfg.scope, `${new URL(url).origin}/.default`);
      assert.equal(authorityHostFor(new URL(url).hostname), authority);
    }
    const cert = loadGraphConfig({ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_CERTIFICATE_PATH: cert_(), GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0' });
    assert.equal(cert.mode === 'graph' && cert.auth.kind === 'certificate' ? cert.auth.authorityHost : '', 'https://login.microsoftonline.us');
    const other = loadGraphConfig({ ...creds, GRAPH_BASE_URL: 'https://graph.example.cloud/v1.0', AZURE_AUTHORITY_HOST: 'https://login.example.cloud/' });
    assert.equal(
      other.mode === 'graph' && other.auth.kind === 'client-secret' ? other.auth.authorityHost : '',
      'https://login.example.cloud',
      'another cloud: AZURE_AUTHORITY_HOST',
    );
    assert.match(
      configError({ ...creds, GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0', AZURE_AUTHORITY_HOST: 'http://login.example' }).message,
      /AZURE_AUTHORITY_HOST: must be an https URL/,
    );
    assert.match(describeGraphConfig(loadGraphConfig({ ...creds, GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0' })), /sign-in at https:\/\/login\.microsoftonline\.us/);
  });

  it('the credential is built with the authority host of the cloud', () => {
    const seen: unknown[][] = [];
    const fake = (name: string) =>
      class {
        constructor(...args: unknown[]) {
          seen.push([name, ...args]);
        }
      };
    const lib = { ClientSecretCredential: fake('secret'), ClientCertificateCredential: fake('cert'), ManagedIdentityCredential: fake('mi') } as unknown as Parameters<
      typeof credentialFor
    >[1];
    credentialFor({ kind: 'client-secret', tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, authorityHost: 'https://login.chinacloudapi.cn' }, lib);
    credentialFor({ kind: 'certificate', tenantId: TENANT, clientId: CLIENT, certificatePath: cert, authorityHost: 'https://login.microsoftonline.us' }, lib);
    credentialFor({ kind: 'client-secret', tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }, lib);
    assert.deepEqual(seen[0]!.at(-1), { authorityHost: 'https://login.chinacloudapi.cn' });
    assert.deepEqual(seen[1]!.at(-1), { authorityHost: 'https://login.microsoftonline.us' });
    assert.deepEqual(seen[2]!.at(-1), {}, 'the global cloud: the library default');
  });

  it('builds the @azure/identity credential for each kind, and the auth provider asks for the Graph scope', async () => {
    assert.ok(credentialFor({ kind: 'client-secret', tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }) instanceof ClientSecretCredential);
    assert.ok(credentialFor({ kind: 'certificate', tenantId: TENANT, clientId: CLIENT, certificatePath: cert }) instanceof ClientCertificateCredential);
    assert.ok(credentialFor({ kind: 'managed-identity' }) instanceof ManagedIdentityCredential);
    const scopes: unknown[] = [];
    const provider = new TokenCredentialAuthProvider({
      getToken: async (s) => {
        scopes.push(s);
        return { token: 'tok', expiresOnTimestamp: Date.now() + 60_000 };
      },
    });
    assert.equal(await provider.getAccessToken(), 'tok');
    assert.deepEqual(scopes, [[GRAPH_SCOPE]]);
    const empty = new TokenCredentialAuthProvider({ getToken: async () => null });
    await assert.rejects(empty.getAccessToken(), /no access token|returned none/i);
  });
});
