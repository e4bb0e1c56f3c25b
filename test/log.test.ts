import assert from 'node:assert/strict';
import { createLogger, logFormatFrom, secretsFromEnv, withLogContext, type LogLevel } from '../src/log';

function capture(opts: Parameters<typeof createLogger>[0] = {}) {
  const lines: { line: string; level: LogLevel }[] = [];
  const log = createLogger({ now: () => new Date('2026-01-02T03:04:05.678Z'), ...opts, write: (line, level) => lines.push({ line, level }) });
  return { log, lines };
}

describe('log: one line per event', () => {
  it('json: ts, level, event, the context (requestId, changeId) and the fields, on one line', async () => {
    const { log, lines } = capture({ format: 'json' });
    await withLogContext({ requestId: 'act-1' }, async () => {
      await Promise.resolve();
      withLogContext({ changeId: '7' }, () => log.info('request.created', { requester: 'x' }));
      log.warn('something', { detail: 'a\nb' });
    });
    log.error('outside');
    assert.equal(lines.length, 3);
    assert.deepEqual(JSON.parse(lines[0]!.line), { ts: '2026-01-02T03:04:05.678Z', level: 'info', event: 'request.created', requestId: 'act-1', changeId: '7', requester: 'x' });
    assert.equal(JSON.parse(lines[1]!.line).requestId, 'act-1');
    assert.equal(JSON.parse(lines[1]!.line).changeId, undefined);
    assert.ok(!lines[1]!.line.includes('\n'));
    assert.deepEqual(JSON.parse(lines[2]!.line), { ts: '2026-01-02T03:04:05.678Z', level: 'error', event: 'outside' });
    assert.deepEqual(
      lines.map((l) => l.level),
      ['info', 'warn', 'error'],
    );
  });

  it('fields cannot overwrite ts, level or event', () => {
    const { log, lines } = capture({ format: 'json' });
    log.info('real', { ts: 'fake', level: 'error', event: 'forged' });
    assert.deepEqual(JSON.parse(lines[0]!.line), { ts: '2026-01-02T03:04:05.678Z', level: 'info', event: 'real' });
  });

  it('pretty: the human message when there is one, else the event and its fields', () => {
    const { log, lines } = capture({ format: 'pretty' });
    log.info('app.listening', { url: 'http://127.0.0.1:3978', msg: 'Plan Switch listening on http://127.0.0.1:3978' });
    withLogContext({ requestId: 'r1' }, () => log.warn('http.request', { status: 400, path: '/api/messages' }));
    assert.equal(lines[0]!.line, '03:04:05.678 INFO  Plan Switch listening on http://127.0.0.1:3978');
    assert.equal(lines[1]!.line, '03:04:05.678 WARN  http.request status=400 path=/api/messages [req r1]');
  });

  it('never writes secrets: secret-named fields, known secret values, bearer tokens, JWTs, query secrets', () => {
    const appPassword = 'app-Pa55word~with.dots';
    const clientSecret = 'azure-client-secret-value-123';
    const { log, lines } = capture({ format: 'json', secrets: secretsFromEnv({ MicrosoftAppPassword: appPassword, AZURE_CLIENT_SECRET: clientSecret, PORT: '3978' }) });
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    log.error('auth.failed', {
      error: new Error(`AADSTS7000215: Invalid client secret provided: ${clientSecret}`),
      headers: { Authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      MicrosoftAppPassword: appPassword,
      password: 'hunter22',
      nested: { deep: [{ token: 'abc123456' }, `posted client_secret=${clientSecret}&grant_type=client_credentials`] },
      note: `the password is ${appPassword}`,
      raw: `Authorization: Bearer ${jwt}`,
    });
    log.info(`event carrying ${appPassword}`);
    const all = lines.map((l) => l.line).join('\n');
    for (const secret of [appPassword, clientSecret, jwt, 'hunter22', 'abc123456', 'eyJhbGci']) assert.ok(!all.includes(secret), `${secret} leaked: ${all}`);
    const line = JSON.parse(lines[0]!.line);
    assert.equal(line.headers['content-type'], 'application/json');
    assert.equal(line.headers.Authorization, '[redacted]');
    assert.match(line.error, /^Error: AADSTS7000215: Invalid client secret provided: \[redacted\]$/);
    assert.equal(line.note, 'the password is [redacted]');
    assert.ok(!all.includes('    at '), 'no stack trace');
  });

  it('LOG_FORMAT wins; otherwise json with MicrosoftAppId (production) and pretty without (local mode)', () => {
    assert.equal(logFormatFrom({}), 'pretty');
    assert.equal(logFormatFrom({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001' }), 'json');
    assert.equal(logFormatFrom({ LOG_FORMAT: 'json' }), 'json');
    assert.equal(logFormatFrom({ MicrosoftAppId: 'x', LOG_FORMAT: 'Pretty' }), 'pretty');
  });

  it('below the level: nothing', () => {
    const { log, lines } = capture({ format: 'json', level: 'warn' });
    log.info('quiet');
    log.warn('loud');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l.line).event),
      ['loud'],
    );
  });
});
