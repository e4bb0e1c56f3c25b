// Hostile and broken input for Plan Switch, as data: raw HTTP to /api/messages (malformed JSON,
// huge and deeply nested bodies, wrong methods and content types), activities missing what Teams
// always sends, unknown activity and invoke names, forged card actions (request ids, versions,
// other tenants, other people's approvals), injection attempts in names (quotes, OData operators,
// markdown, Adaptive Card expressions ${...}), overlong and mixed-language commands, and the same
// spirit on the plan-switch CLI. corpus.test.ts runs every case against the real app on the
// sandbox tenant and checks the answer, that nothing leaks a stack trace, that the app keeps
// serving, and that no Graph write happens.
//
// The tenant is data/demo-tenant.json plus the people and groups of HOSTILE_NAMES. Before the
// corpus runs, Sanne asks for request 1 (move group Sales to E3): it is pending at version 1 and
// must still be after everything below.

export const FOREIGN_TENANT = '99999999-9999-4999-8999-999999999999';
/** The pending request created before the corpus runs. */
export const REQ = '1';

/** People the cases speak as. `jan` is in the directory but neither requester nor approver. */
export type Who = 'sanne' | 'pieter' | 'jan' | 'ghost' | 'noAad' | 'upnAsId' | 'injectedId' | 'longId';

/** Objects with hostile names, added to the demo tenant. */
export const HOSTILE_NAMES = {
  users: [
    { upn: 'robert.tables@contoso.example', displayName: "Robert'); DROP TABLE requests;--" },
    { upn: 'dollar.sign@contoso.example', displayName: '${$root.secret} ${if(true, "yes", "no")}' },
    { upn: 'mark.down@contoso.example', displayName: '**Admin** [click me](https://evil.example) <img src=x onerror=alert(1)>' },
    { upn: 'odata.eq@contoso.example', displayName: "x' or displayName eq 'Sales" },
  ],
  groups: [
    { displayName: 'Ops ${user.password}', members: ['dollar.sign@contoso.example'] },
    { displayName: '{{DATE(2017-02-14T06:08:39Z, LONG)}} Team', members: ['mark.down@contoso.example'] },
  ],
};

export interface Expect {
  /** HTTP status of /api/messages. */
  status: number;
  /** Replies the bot posted to the conversation: their text (and card text) must match. */
  reply?: RegExp;
  /** The bot must post nothing to the conversation. */
  noReply?: true;
  /** Invoke answer: its type and the text of its card or error message. */
  invoke?: { type: 'card' | 'error' | 'search'; text?: RegExp; results?: number };
  /** HTTP error body: { error: { code, message } } with a message matching. */
  error?: RegExp;
  /** Raw JSON of the replies/answer must contain this literally (text rendered as text). */
  literal?: string;
  /** ...and must not contain this (e.g. a markdown link left active). */
  notLiteral?: string;
}

export interface ActivityCase {
  kind: 'activity';
  name: string;
  type?: string;
  who?: Who;
  /** Tenant on conversation and channelData; null: none at all. Default: the sandbox tenant. */
  tenant?: string | null;
  locale?: string;
  text?: unknown;
  invoke?: { name?: unknown; value?: unknown };
  /** Merged over the built activity last; a value of DELETE removes the field. */
  patch?: Record<string, unknown>;
  expect: Expect;
}

export interface RawCase {
  kind: 'raw';
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | (() => string | Buffer);
  expect: { status: number; error?: RegExp };
}

export interface CliCase {
  kind: 'cli';
  name: string;
  /** "{FILE}" is replaced by a file holding `file`. */
  argv: string[];
  file?: string;
  expect: { code: number | number[]; stdout?: RegExp; stderr?: RegExp };
}

export type Case = ActivityCase | RawCase | CliCase;

export const DELETE = Symbol('delete');

const msg = (name: string, text: unknown, expect: Expect, more: Partial<ActivityCase> = {}): ActivityCase => ({ kind: 'activity', name, text, expect, ...more });
const click = (name: string, verb: unknown, data: unknown, expect: Expect, more: Partial<ActivityCase> = {}): ActivityCase => ({
  kind: 'activity',
  name,
  type: 'invoke',
  invoke: { name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } },
  expect,
  ...more,
});
const invoke = (name: string, invokeName: unknown, value: unknown, expect: Expect, more: Partial<ActivityCase> = {}): ActivityCase => ({
  kind: 'activity',
  name,
  type: 'invoke',
  invoke: { name: invokeName, value },
  expect,
  ...more,
});
const raw = (name: string, body: RawCase['body'], status: number, error?: RegExp, more: Partial<RawCase> = {}): RawCase => ({
  kind: 'raw',
  name,
  body,
  expect: { status, ...(error ? { error } : {}) },
  ...more,
});
const cli = (name: string, argv: string[], code: number | number[], out: { stdout?: RegExp; stderr?: RegExp } = {}, file?: string): CliCase => ({
  kind: 'cli',
  name,
  argv,
  expect: { code, ...out },
  ...(file !== undefined ? { file } : {}),
});

// Answers, as the bot words them (src/i18n/en.ts).
const HELP = /move group Sales to E3/;
const NOT_UNDERSTOOD = /I didn't understand/;
const NOT_FOUND = /can't find a user or group called/;
/** A name refused before any Graph request because it would change the request's path. */
const UNSAFE_NAME = (name: string) => new RegExp(`That doesn't work: '${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' cannot name a user`);
const NO_PLAN = /The tenant has no plan called/;
const OTHER_TENANT = /only serves its own organization/;
const UNKNOWN_PERSON = /can't find you in this organization's directory/;
const NO_IDENTITY = /can't tell who you are/;
const NO_RIGHTS = /only license administrators can check, request or undo/;
const NO_RIGHTS_NL = /alleen licentiebeheerders/;
const TOO_LONG = /too long for a command/;
const NO_REQUEST = /There is no change request/;
const STALE = /out of date/;
const OWN = /someone else has to approve/;
const NOT_APPROVER = /not one of the approvers/;
const BAD_CARD = /damaged or out of date/;
const UNKNOWN_VERB = /don't know the card action/;
const UNREADABLE = /could not be read/;
const NOT_ACTIVITY = /Bot Framework activity/;
const card = (text?: RegExp): Expect => ({ status: 200, invoke: { type: 'card', ...(text ? { text } : {}) } });
const error = (status: number, text?: RegExp): Expect => ({ status, invoke: { type: 'error', ...(text ? { text } : {}) } });
const replies = (text: RegExp, extra: Partial<Expect> = {}): Expect => ({ status: 200, reply: text, ...extra });
const http400 = (error: RegExp): Expect => ({ status: 400, error });

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const spec = (principal: unknown, to: unknown = 'E3', from?: unknown) => ({ principal, to, ...(from !== undefined ? { from } : {}) });

// -----------------------------------------------------------------------------------------------
// 1. Raw HTTP: not an activity at all

const rawCases: RawCase[] = [
  raw('malformed JSON', '{bad', 400, /not valid JSON/),
  raw('truncated JSON', '{"type":"message","text":"hel', 400, /not valid JSON/),
  raw('empty body', '', 400, NOT_ACTIVITY),
  raw('JSON null', 'null', 400, NOT_ACTIVITY),
  raw('JSON array', '[{"type":"message"}]', 400, NOT_ACTIVITY),
  raw('JSON string', '"message"', 400, NOT_ACTIVITY),
  raw('JSON number', '42', 400, NOT_ACTIVITY),
  raw('empty object', '{}', 400, NOT_ACTIVITY),
  raw('type is a number', '{"type":5}', 400, NOT_ACTIVITY),
  raw('type is an object', '{"type":{"$gt":""}}', 400, NOT_ACTIVITY),
  raw('trailing garbage after JSON', '{"type":"message"} trailing', 400, /not valid JSON/),
  raw('JSON with comments', '{"type":"message" /* hi */}', 400, /not valid JSON/),
  raw('single quotes', "{'type':'message'}", 400, /not valid JSON/),
  raw('NaN literal', '{"type":"message","x":NaN}', 400, /not valid JSON/),
  raw('2 MB body', () => JSON.stringify({ type: 'message', text: 'x'.repeat(2_000_000) }), 413, /larger than/),
  raw('300 kB body (just over the limit)', () => JSON.stringify({ type: 'message', text: 'y'.repeat(300_000) }), 413, /larger than/),
  raw('deeply nested arrays (100,000 levels)', () => `{"type":"message","value":${deep(100_000)}}`, 400),
  raw('invalid UTF-8 bytes', Buffer.from([0x7b, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3a, 0xff, 0xfe, 0x7d]), 400),
  raw('a form instead of JSON', 'type=message&text=help', 415, /application\/json/, { headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
  raw('multipart upload', '--b\r\nContent-Disposition: form-data; name="f"; filename="x.sh"\r\n\r\nrm -rf /\r\n--b--\r\n', 415, /application\/json/, {
    headers: { 'content-type': 'multipart/form-data; boundary=b' },
  }),
  raw('text/plain', '{"type":"message"}', 415, /application\/json/, { headers: { 'content-type': 'text/plain' } }),
  raw('no content type', '{"type":"message"}', 415, /application\/json/, { headers: { 'content-type': '' } }),
  raw('gzip claimed, garbage sent', 'not gzip at all', 415, /uncompressed/, { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }),
  raw('GET /api/messages', undefined, 405, /not allowed/, { method: 'GET' }),
  raw('PUT /api/messages', '{}', 405, /not allowed/, { method: 'PUT' }),
  raw('DELETE /api/messages', undefined, 405, /not allowed/, { method: 'DELETE' }),
  raw('POST to an unknown path', '{}', 404, /Not found/, { path: '/api/admin' }),
  raw('path traversal', undefined, 404, /Not found/, { method: 'GET', path: '/../../etc/passwd' }),
  raw('encoded path traversal', undefined, 404, /Not found/, { method: 'GET', path: '/%2e%2e/%2e%2e/etc/passwd' }),
  raw('POST /healthz', '{}', 405, /not allowed/, { path: '/healthz' }),
  raw('prototype pollution in the body', '{"type":"message","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}', 400),
];

// -----------------------------------------------------------------------------------------------
// 2. Activities missing what Teams always sends, or of types no channel sends

const shapeCases: ActivityCase[] = [
  msg('no conversation', 'help', http400(/conversation\.id is required/), { patch: { conversation: DELETE } }),
  msg('conversation id is a number', 'help', http400(/conversation\.id is required/), { patch: { conversation: { id: 42 } } }),
  msg('conversation id of 10,000 characters', 'help', http400(/conversation\.id is required/), { patch: { conversation: { id: 'c'.repeat(10_000) } } }),
  msg('no from', 'help', http400(/from\.id is required/), { patch: { from: DELETE } }),
  msg('from is a string', 'help', http400(/from\.id is required/), { patch: { from: 'sanne' } }),
  msg('no serviceUrl', 'help', http400(/serviceUrl is required/), { patch: { serviceUrl: DELETE } }),
  msg('serviceUrl is not a URL', 'help', http400(/not a URL/), { patch: { serviceUrl: 'not a url' } }),
  msg('serviceUrl on another host (local mode)', 'help', http400(/loopback/), { patch: { serviceUrl: 'https://evil.example/' } }),
  msg('serviceUrl file://', 'help', http400(/http\(s\)/), { patch: { serviceUrl: 'file:///etc/passwd' } }),
  msg('serviceUrl with credentials', 'help', http400(/credentials/), { patch: { serviceUrl: 'http://user:pw@127.0.0.1:1/' } }),
  msg('text is an object (NoSQL-style operator)', { $ne: null }, http400(/text must be a string/)),
  msg('text is an array', ['help'], http400(/text must be a string/)),
  msg('locale is an object', 'help', http400(/locale must be a string/), { patch: { locale: { toString: 'nl' } } }),
  msg('aadObjectId of 10,000 characters', 'help', http400(/aadObjectId/), { patch: { from: { id: '29:x', aadObjectId: 'a'.repeat(10_000) } } }),
  msg('channelData is a string', 'help', http400(/channelData/), { patch: { channelData: 'tenant' } }),
  msg('unknown activity type', 'help', http400(/not accepted/), { type: 'hackerman' }),
  msg('activity type invokeResponse sent in', 'help', http400(/not accepted/), { type: 'invokeResponse' }),
  msg('activity type trace sent in', 'help', http400(/not accepted/), { type: 'trace' }),
  msg('empty activity type', 'help', http400(NOT_ACTIVITY), { type: '' }),
  { kind: 'activity', name: 'typing: accepted, nothing to say', type: 'typing', expect: { status: 200, noReply: true } },
  {
    kind: 'activity',
    name: 'event with a made-up name: accepted, nothing done',
    type: 'event',
    patch: { name: 'deleteEverything', value: { all: true } },
    expect: { status: 200, noReply: true },
  },
  {
    kind: 'activity',
    name: 'messageReaction: accepted, nothing done',
    type: 'messageReaction',
    patch: { reactionsAdded: [{ type: 'like' }] },
    expect: { status: 200, noReply: true },
  },
  {
    kind: 'activity',
    name: 'conversationUpdate from another tenant adding the bot: ignored',
    type: 'conversationUpdate',
    tenant: FOREIGN_TENANT,
    patch: { membersAdded: [{ id: '28:plan-switch' }] },
    expect: { status: 200, noReply: true },
  },
  invoke('invoke without a name', undefined, {}, http400(/needs a name/)),
  invoke('invoke name is a number', 7, {}, http400(/name must be a string/)),
];

// -----------------------------------------------------------------------------------------------
// 3. Who is speaking: other tenants, unknown and forged identities

const gateCases: ActivityCase[] = [
  msg('another tenant', 'move group Sales to E3', replies(OTHER_TENANT), { tenant: FOREIGN_TENANT }),
  msg('another tenant, Dutch', 'verplaats groep Sales naar E3', replies(/werkt alleen voor de eigen organisatie/), { tenant: FOREIGN_TENANT }),
  msg('no tenant at all', 'help', replies(OTHER_TENANT), { tenant: null }),
  msg('tenants disagree (conversation: another, channelData: ours)', 'plans', replies(OTHER_TENANT), {
    patch: { conversation: { id: 'CONV', tenantId: FOREIGN_TENANT, conversationType: 'personal' } },
  }),
  msg('someone not in the directory', 'help', replies(UNKNOWN_PERSON), { who: 'ghost' }),
  msg('no aadObjectId', 'plans', replies(NO_IDENTITY), { who: 'noAad' }),
  msg('a UPN in aadObjectId', 'plans', replies(UNKNOWN_PERSON), { who: 'upnAsId' }),
  msg('OData injection in aadObjectId', 'plans', replies(/can't find you|Microsoft Graph could not answer/), { who: 'injectedId' }),
  msg('a 128-character aadObjectId', 'plans', replies(/can't find you|Microsoft Graph could not answer/), { who: 'longId' }),
  click("approve from another tenant (approver's id)", 'approve', { requestId: REQ, version: 1 }, card(OTHER_TENANT), { who: 'pieter', tenant: FOREIGN_TENANT }),
  click('approve by someone not in the directory', 'approve', { requestId: REQ, version: 1 }, card(UNKNOWN_PERSON), { who: 'ghost' }),
  invoke('type-ahead from another tenant', 'application/search', { queryText: 'Sal', dataset: 'principals' }, error(403, OTHER_TENANT), { tenant: FOREIGN_TENANT }),
];

// -----------------------------------------------------------------------------------------------
// 4. A user with no rights (Jan: in the directory, not in REQUESTERS or APPROVERS)

const rightsCases: ActivityCase[] = [
  msg('no rights: move', 'move group Sales to E3', replies(NO_RIGHTS), { who: 'jan' }),
  msg('no rights: move, in Dutch', 'verplaats groep Sales naar E3', replies(NO_RIGHTS_NL), { who: 'jan' }),
  msg('no rights: history', 'history', replies(NO_RIGHTS), { who: 'jan' }),
  msg('no rights: status of a request', `status ${REQ}`, replies(NO_RIGHTS), { who: 'jan' }),
  msg('no rights: undo', `undo ${REQ}`, replies(NO_RIGHTS), { who: 'jan' }),
  msg('no rights: the guided card', 'new', replies(NO_RIGHTS), { who: 'jan' }),
  msg('no rights: plans stay open', 'plans', replies(/Office 365 E3/), { who: 'jan' }),
  msg('no rights: help stays open', 'help', replies(HELP), { who: 'jan' }),
  click("no rights: approve someone else's request", 'approve', { requestId: REQ, version: 1 }, card(NOT_APPROVER), { who: 'jan' }),
  click('no rights: reject', 'reject', { requestId: REQ, version: 1, reason: 'because' }, card(NOT_APPROVER), { who: 'jan' }),
  click('no rights: run', 'run', { requestId: REQ, version: 1 }, card(NOT_APPROVER), { who: 'jan' }),
  click("no rights: cancel someone else's request", 'cancel', { requestId: REQ, version: 1 }, card(/Only the person who asked for this change or an approver/), { who: 'jan' }),
  click('no rights: request with a valid-looking spec', 'request', { spec: spec({ kind: 'group', group: 'Sales' }) }, card(NO_RIGHTS), { who: 'jan' }),
  click('no rights: preflight', 'preflight', spec({ kind: 'group', group: 'Sales' }), card(NO_RIGHTS), { who: 'jan' }),
  click('no rights: refresh', 'refresh', { requestId: REQ }, card(NO_RIGHTS), { who: 'jan' }),
  invoke('no rights: type-ahead', 'application/search', { queryText: 'Sal', dataset: 'principals' }, error(403, NO_RIGHTS), { who: 'jan' }),
];

// -----------------------------------------------------------------------------------------------
// 5. Forged and stale card actions (Sanne asked for request 1; Pieter may approve it)

const forgedCases: ActivityCase[] = [
  click('approve a request that does not exist', 'approve', { requestId: '999', version: 1 }, card(NO_REQUEST), { who: 'pieter' }),
  click('approve request "1 OR 1=1"', 'approve', { requestId: '1 OR 1=1', version: 1 }, card(NO_REQUEST), { who: 'pieter' }),
  click('approve request "1; DROP TABLE requests"', 'approve', { requestId: '1; DROP TABLE requests', version: 1 }, card(NO_REQUEST), { who: 'pieter' }),
  click('approve request "../1"', 'approve', { requestId: '../1', version: 1 }, card(NO_REQUEST), { who: 'pieter' }),
  click('approve request -1', 'approve', { requestId: -1, version: 1 }, card(NO_REQUEST), { who: 'pieter' }),
  // eslint-disable-next-line no-loss-of-precision -- the point: a number JSON cannot carry
  click('approve request 1e309 (null once in JSON)', 'approve', { requestId: 1e309, version: 1 }, card(BAD_CARD), { who: 'pieter' }),
  click('approve request id of 65 characters', 'approve', { requestId: '1'.repeat(65), version: 1 }, card(BAD_CARD), { who: 'pieter' }),
  click('approve request 99999999999999999999', 'approve', { requestId: '99999999999999999999', version: 1 }, card(NO_REQUEST), { who: 'pieter' }),
  click('approve with a stale version', 'approve', { requestId: REQ, version: 7 }, card(STALE), { who: 'pieter' }),
  click('approve with version 0', 'approve', { requestId: REQ, version: 0 }, card(STALE), { who: 'pieter' }),
  click('approve with a negative version', 'approve', { requestId: REQ, version: -1 }, card(BAD_CARD), { who: 'pieter' }),
  click('approve with version "abc"', 'approve', { requestId: REQ, version: 'abc' }, card(BAD_CARD), { who: 'pieter' }),
  click('approve with version as an object', 'approve', { requestId: REQ, version: { $gt: 0 } }, card(BAD_CARD), { who: 'pieter' }),
  click('approve without a version', 'approve', { requestId: REQ }, card(BAD_CARD), { who: 'pieter' }),
  click('approve without data', 'approve', undefined, card(BAD_CARD), { who: 'pieter' }),
  click('approve your own request', 'approve', { requestId: REQ, version: 1 }, card(OWN), { who: 'sanne' }),
  click('approve with a forged approver in the data', 'approve', { requestId: REQ, version: 7, approver: { id: 'a11ce000-0000-4000-8000-000000000002' } }, card(OWN), {
    who: 'sanne',
  }),
  click('reject with a 10,000-character reason', 'reject', { requestId: REQ, version: 1, reason: 'r'.repeat(10_000) }, card(BAD_CARD), { who: 'pieter' }),
  click('reject with a stale version', 'reject', { requestId: REQ, version: 9 }, card(STALE), { who: 'pieter' }),
  click('cancel a request that does not exist', 'cancel', { requestId: '404', version: 1 }, card(NO_REQUEST), { who: 'sanne' }),
  click('cancel with a stale version', 'cancel', { requestId: REQ, version: 3 }, card(STALE), { who: 'sanne' }),
  click('undo a pending request', 'undo', { requestId: REQ }, card(/Only a completed change can be undone/), { who: 'sanne' }),
  click('undo a request that does not exist', 'undo', { requestId: '31337' }, card(NO_REQUEST), { who: 'sanne' }),
  click('refresh a request that does not exist', 'refresh', { requestId: '0' }, card(NO_REQUEST), { who: 'sanne' }),
  click('request: principal of an unknown kind', 'request', { spec: spec({ kind: 'admin', admin: 'x' }) }, card(BAD_CARD), { who: 'sanne' }),
  click('request: 1,001 users', 'request', { spec: spec({ kind: 'users', users: Array.from({ length: 1001 }, (_, i) => `u${i}@contoso.example`) }) }, card(BAD_CARD), {
    who: 'sanne',
  }),
  click('request: a group that does not exist', 'request', { spec: spec({ kind: 'group', group: "Nope' or 1 eq 1" }) }, card(NOT_FOUND), { who: 'sanne' }),
  click('request: a plan that does not exist', 'request', { spec: spec({ kind: 'group', group: 'Sales' }, "E3' or skuId ne '") }, card(NO_PLAN), { who: 'sanne' }),
  click(
    'preflight: target plan ${user.name}',
    'preflight',
    spec({ kind: 'group', group: 'Sales' }, '${user.name}'),
    { ...card(NO_PLAN), literal: '${user.name}' },
    { who: 'sanne' },
  ),
  click('guide: unknown step', 'guide', { step: 'delete' }, card(BAD_CARD), { who: 'sanne' }),
  click('guide: a forged principal choice', 'guide', { step: 'source', principal: 'user:../../admin x' }, card(BAD_CARD), { who: 'sanne' }),
  click('guide: typed name with OData operators', 'guide', { step: 'source', principalText: "Sales' or startswith(displayName,'" }, card(NOT_FOUND), { who: 'sanne' }),
  click('unknown verb', 'deleteAll', { requestId: REQ }, error(400, UNKNOWN_VERB), { who: 'sanne' }),
  click('verb __proto__', '__proto__', {}, error(400, UNKNOWN_VERB), { who: 'sanne' }),
  click('verb constructor', 'constructor', {}, error(400, UNKNOWN_VERB), { who: 'sanne' }),
  click('verb of 10,000 characters', 'x'.repeat(10_000), {}, error(400, UNREADABLE), { who: 'sanne' }),
  click('verb is a number', 42, {}, error(400, UNREADABLE), { who: 'sanne' }),
  click('data with prototype pollution', 'refresh', JSON.parse('{"requestId":"1","__proto__":{"isAdmin":true}}'), card(/Change request 1\b/), { who: 'sanne' }),
  invoke(
    'Action.Submit instead of Action.Execute',
    'adaptiveCard/action',
    { action: { type: 'Action.Submit', verb: 'approve', data: { requestId: REQ, version: 1 } } },
    error(400, UNREADABLE),
    { who: 'pieter' },
  ),
  invoke('card action without an action', 'adaptiveCard/action', { trigger: 'manual' }, error(400, UNREADABLE), { who: 'pieter' }),
  invoke('card action value is a string', 'adaptiveCard/action', 'approve 1', error(400, UNREADABLE), { who: 'pieter' }),
  invoke('card action value null', 'adaptiveCard/action', null, error(400, UNREADABLE), { who: 'pieter' }),
  invoke('unknown invoke: messaging extension query', 'composeExtension/query', { commandId: 'x' }, error(501, /could not be read/), { who: 'sanne' }),
  invoke('unknown invoke: task/fetch', 'task/fetch', {}, error(501), { who: 'sanne' }),
  invoke('unknown invoke: signin/verifyState', 'signin/verifyState', { state: '123' }, error(501), { who: 'sanne' }),
  invoke(
    'type-ahead: OData operators',
    'application/search',
    { queryText: "' or 1 eq 1 or displayName eq '", dataset: 'principals' },
    { status: 200, invoke: { type: 'search', results: 0 } },
    { who: 'sanne' },
  ),
  invoke('type-ahead: 300 characters', 'application/search', { queryText: 'q'.repeat(300), dataset: 'principals' }, error(400, UNREADABLE), { who: 'sanne' }),
  invoke('type-ahead: another dataset', 'application/search', { queryText: 'a', dataset: 'secrets' }, error(400, UNREADABLE), { who: 'sanne' }),
  invoke('type-ahead: top of a billion', 'application/search', { queryText: 'a', dataset: 'principals', queryOptions: { top: 1e9 } }, error(400, UNREADABLE), { who: 'sanne' }),
  invoke('type-ahead: value null', 'application/search', null, { status: 200, invoke: { type: 'search', results: 0 } }, { who: 'sanne' }),
];

// -----------------------------------------------------------------------------------------------
// 6. Chat commands: injection in names, overlong and mixed-language input (as Sanne, an admin)

const commandCases: ActivityCase[] = [
  msg('empty text', '', replies(HELP)),
  msg('only whitespace', ' \t \n ', replies(HELP)),
  msg('no text field', undefined, replies(HELP)),
  msg('single quote in a group name', "move group Sales' to E3", replies(NOT_FOUND)),
  msg('OData "or" in a group name', "move group Sales' or displayName ne ' to E3", replies(NOT_FOUND)),
  msg('OData function in a group name', "move group x') or startswith(displayName,'S to E3", replies(NOT_FOUND)),
  msg('$filter in a group name', "move group $filter=displayName eq 'Sales' to E3", replies(NOT_FOUND)),
  msg('query string in a group name', 'move group Sales&$top=999&$select=* to E3', replies(NOT_FOUND)),
  msg('URL-encoded quote in a group name', 'move group Sales%27%20or%201%20eq%201 to E3', replies(NOT_FOUND)),
  msg('path traversal in a user name', 'move user ../../users/sanne.devries@contoso.example from E3 to E1', replies(UNSAFE_NAME('../../users/sanne.devries@contoso.example'))),
  msg('a user named ".." is looked up by name, never read as /users/..', 'move user .. from E3 to E1', replies(NOT_FOUND)),
  msg('a user named "." is looked up by name, never read as /users/.', 'move user . from E3 to E1', replies(NOT_FOUND)),
  msg('a user name with a backslash', 'status a\\b@contoso.example', replies(/That doesn't work: .* cannot name a user: it contains "\/" or/)),
  msg('a UPN starting with $ is looked up as a user, not a system segment', 'status $count@contoso.example', replies(NOT_FOUND)),
  msg('a UPN with # is sent whole', 'status a#b@contoso.example', replies(NOT_FOUND)),
  msg('double quotes around a hostile name', 'move group "Sales\\" or \\"1\\"=\\"1" to E3', replies(NOT_FOUND)),
  msg('OData in the plan name', "move group Sales to E3' or skuPartNumber ne '", replies(NO_PLAN)),
  msg('Adaptive Card expression as a group name', 'move group ${user.password} to E3', { ...replies(NOT_FOUND), literal: '${user.password}' }),
  msg('Adaptive Card expression as the plan', 'move group Sales to ${$root.plan}', { ...replies(NO_PLAN), literal: '${$root.plan}' }),
  msg('client date function as a name', 'move group {{DATE(2017-02-14T06:08:39Z, LONG)}} x to E3', { ...replies(NOT_FOUND), notLiteral: '{{DATE(' }),
  msg('markdown link in a name', 'move group [click me](https://evil.example) to E3', { ...replies(NOT_FOUND), notLiteral: '[click me](https://evil.example)' }),
  msg('markdown emphasis and heading in a name', 'move group # **Urgent** _now_ to E3', replies(NOT_FOUND)),
  msg('HTML in a name', 'move group <script>alert(1)</script> to E3', replies(NOT_FOUND)),
  msg('status of a user whose name is SQL', "status Robert'); DROP TABLE requests;--", replies(/Robert'\); DROP TABLE requests;--/)),
  msg('status of a group named with ${...}', 'status Ops ${user.password}', { ...replies(/Licenses of Ops \$\{user\.password\}/), literal: 'Ops ${user.password}' }),
  msg('status of a user named with ${...}', 'status dollar.sign@contoso.example', {
    ...replies(/\$\{\$root\.secret\}/),
    literal: '${$root.secret} ${if(true, \\"yes\\", \\"no\\")}',
  }),
  msg('status of a user named in markdown', 'status mark.down@contoso.example', { ...replies(/\\\*\\\*Admin\\\*\\\*/), notLiteral: '[click me](https://evil.example)' }),
  msg('status of a group named with a date function', 'status {{DATE(2017-02-14T06:08:39Z, LONG)}} Team', { ...replies(/Team/), notLiteral: '{{DATE(' }),
  msg('a user whose name is an OData clause is found by its UPN only', "status x' or displayName eq 'Sales", replies(/x' or displayName eq 'Sales/)),
  msg('overlong command (5,000 characters)', `move group ${'A'.repeat(5_000)} to E3`, replies(TOO_LONG)),
  msg('overlong command (100,000 characters)', 'help '.repeat(20_000), replies(TOO_LONG)),
  msg('2,001 characters of one word', 'x'.repeat(2_001), replies(TOO_LONG)),
  msg('2,000 characters of one word', 'x'.repeat(2_000), replies(NOT_UNDERSTOOD)),
  msg(
    'a hundred users nobody knows',
    `move users ${Array.from({ length: 100 }, (_, i) => `u${i}@c.example`).join(', ')} to E3`,
    replies(/I can't tell which plan 100 users should leave: none of them holds one I can move from, or they are not in the directory/),
  ),
  msg('undo a huge number', 'undo 99999999999999999999999', replies(NO_REQUEST)),
  msg('undo SQL', 'undo 1; DROP TABLE requests; --', replies(NO_REQUEST)),
  msg('undo negative', 'undo -1', replies(NO_REQUEST)),
  msg('status with SQL', 'status 1 OR 1=1', replies(NOT_FOUND)),
  msg('history -5', 'history -5', replies(/Recent changes/)),
  msg('history of a million', 'history 1000000', replies(/Recent changes/)),
  msg('pending with injection', "pending'; --", replies(NOT_UNDERSTOOD)),
  msg('mixed Dutch and English', 'verplaats group Sales to E3', replies(/Sales|Verkoop|niet begrepen|didn't understand|gebruiker of groep/)),
  msg('Dutch command, English locale', 'verplaats groep Salez naar E3', replies(/Ik kan geen gebruiker of groep "Salez" vinden/), { locale: 'en-US' }),
  msg('English command, Dutch locale', 'move group Salez to E3', replies(/can't find a user or group called "Salez"/), { locale: 'nl-NL' }),
  msg('Japanese', 'グループ Sales を E3 に移動して', replies(NOT_UNDERSTOOD)),
  msg('Arabic, right to left', 'انقل المجموعة Sales إلى E3', replies(NOT_UNDERSTOOD)),
  msg('right-to-left override in a name', 'move group \u202eselaS to E3', replies(NOT_FOUND)),
  msg('zero-width space inside the command word', 'mo\u200bve group Sales to E3', replies(NOT_UNDERSTOOD)),
  msg('NUL byte in a name', 'move group Sales\u0000 to E3', replies(NOT_FOUND)),
  msg('terminal escape codes', '\u001b[31mmove\u001b[0m group Sales to E3', replies(NOT_UNDERSTOOD)),
  msg('emoji', '🚀 move group Sales to E3 🔥', replies(NOT_UNDERSTOOD)),
  msg('lone surrogate', 'move group \ud800 to E3', replies(NOT_FOUND)),
  msg('a mention of the bot around the command', '<at>Plan Switch</at> status #999', replies(NO_REQUEST)),
  msg('locale of 64 characters', 'help', replies(HELP), { locale: 'nl-'.padEnd(64, 'x') }),
  msg('unknown locale', 'help', replies(HELP), { locale: 'xx-YY' }),
];

// -----------------------------------------------------------------------------------------------
// 7. The CLI (never writes here: swap is never confirmed)

const cliCases: CliCase[] = [
  cli('no arguments: help', [], 0, { stdout: /Usage:/ }),
  cli('unknown command', ['rm', '-rf', '/'], 1, { stderr: /Unknown option|Unknown command/ }),
  cli('unknown option', ['plans', '--drop-tables'], 1, { stderr: /Unknown option '--drop-tables'/ }),
  cli('option without its value', ['status', '--user'], 1, { stderr: /argument missing|needs a value/ }),
  cli('empty user', ['status', '--user', '  '], 1, { stderr: /--user needs a value/ }),
  cli('two principals', ['preflight', '--user', 'a@b.c', '--group', 'Sales', '--to', 'E3'], 1, { stderr: /Give only one of/ }),
  cli('OData in a user', ['status', '--user', "' or 1 eq 1 or userPrincipalName eq '"], 1, { stderr: /plan-switch: .*(not found|can't find|No user|no user)/i }),
  cli('a user named ".."', ['status', '--user', '..'], 1, { stderr: /'\.\.' cannot name a user/ }),
  cli('a user name with a slash', ['preflight', '--user', 'x/../../groups', '--to', 'E3'], 1, { stderr: /'x\/\.\.\/\.\.\/groups' cannot name a user/ }),
  cli('OData in a group', ['status', '--group', "Sales' or displayName ne '"], 1, { stderr: /plan-switch: /i }),
  cli('${...} in a group', ['status', '--group', 'Ops ${user.password}'], 0, { stdout: /Ops \$\{user\.password\}/ }),
  cli('OData in the plan', ['preflight', '--group', 'Sales', '--to', "E3' or skuId ne '"], 1, { stderr: /plan/i }),
  cli('swap without confirmation and no terminal: refused', ['swap', '--group', 'Sales', '--to', 'E3'], [1, 2], { stderr: /without confirmation|blocks/ }),
  cli('swap of nobody, confirmed: nothing to write', ['swap', '--user', 'nobody@contoso.example', '--to', 'E3', '--yes'], 1, { stderr: /plan-switch: / }),
  cli('users file that does not exist', ['preflight', '--users-file', '/nonexistent/users.txt', '--to', 'E3'], 1, { stderr: /no such file/ }),
  cli('users file with hostile lines', ['preflight', '--users-file', '{FILE}', '--to', 'E3'], [1, 2], {}, "' or 1 eq 1\n${user.password}\n../../admin\n**bold**\n\u202eevil\n"),
  cli('users file that is empty', ['preflight', '--users-file', '{FILE}', '--to', 'E3'], 1, { stderr: /names no users/ }, '# nobody\n\n'),
  cli('negative timeout', ['swap', '--group', 'Sales', '--to', 'E3', '--timeout', '-5'], 1, { stderr: /--timeout/ }),
  cli('timeout not a number', ['swap', '--group', 'Sales', '--to', 'E3', '--timeout=soon'], 1, { stderr: /--timeout must be a number/ }),
  cli('poll interval not a number', ['swap', '--group', 'Sales', '--to', 'E3', '--poll-ms', 'abc'], 1, { stderr: /--poll-ms must be a number/ }),
  cli('overlong user (100,000 characters)', ['status', '--user', 'u'.repeat(100_000)], 1, { stderr: /plan-switch: / }),
  cli('mixed-language option', ['preflight', '--groep', 'Verkoop', '--naar', 'E3'], 1, { stderr: /Unknown option '--groep'/ }),
  cli('right-to-left override in a plan', ['preflight', '--group', 'Sales', '--to', '\u202e3E'], 1, { stderr: /plan/i }),
  cli('status takes no --to', ['status', '--group', 'Sales', '--to', 'E3'], 1, { stderr: /does not take --to/ }),
  cli('--include-direct on a user', ['preflight', '--user', 'a@b.c', '--to', 'E3', '--include-direct'], 1, { stderr: /only applies to a group/ }),
];

export const CORPUS: Case[] = [...rawCases, ...shapeCases, ...gateCases, ...rightsCases, ...forgedCases, ...commandCases, ...cliCases];
