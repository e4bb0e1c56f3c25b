// The doctor's judgement as plain functions: roles against what docs/deploy.md asks for, and one
// Graph answer -> ok or what is missing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify, type CallSpec } from '../../src/doctor/classify';
import { ASKED_PERMISSIONS, checkRoles, extraRoles } from '../../src/doctor/permissions';
import { decodeAccessToken } from '../../src/doctor/token';

const spec: CallSpec = {
  call: 'groupUsers',
  need: 'required',
  request: 'GET x',
  permission: 'GroupMember.Read.All',
  shape: 'collection',
  fields: ['id', 'licenseAssignmentStates'],
};

describe('doctor checks', () => {
  it('reads app id, tenant and roles from a token without trusting it', () => {
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const c = decodeAccessToken(`${part({ alg: 'RS256' })}.${part({ appid: 'a', tid: 't', roles: ['User.Read.All'] })}.sig`);
    assert.deepEqual(c, { appId: 'a', tenantId: 't', roles: ['User.Read.All'] });
    assert.deepEqual(decodeAccessToken(`${part({})}.${part({ azp: 'b' })}.`)?.roles, [], 'no roles claim = nothing granted');
    assert.equal(decodeAccessToken('not a token'), undefined);
  });

  it('counts a higher permission as granting, says so, and lists roles beyond the ones asked for', () => {
    const checks = checkRoles(['Directory.Read.All', 'LicenseAssignment.ReadWrite.All', 'Organization.Read.All']);
    const by = Object.fromEntries(checks.map((c) => [c.permission, c]));
    assert.equal(by['User.Read.All']!.granted, true);
    assert.equal(by['User.Read.All']!.via, 'Directory.Read.All');
    assert.equal(by['GroupMember.Read.All']!.via, 'Directory.Read.All');
    assert.equal(by['LicenseAssignment.Read.All']!.viaAsked, true, 'Organization.Read.All is asked for itself');
    assert.equal(by['User.ReadWrite.All']!.granted, false);
    assert.deepEqual(extraRoles(['Directory.Read.All', 'User.Read.All']), ['Directory.Read.All']);
  });

  it('tells a refused permission, a missing field, a wanted header and a plain failure apart', () => {
    assert.equal(classify(spec, { status: 200, body: { value: [{ id: '1', licenseAssignmentStates: [] }] } }, 5).status, 'ok');
    const missing = classify(spec, { status: 200, body: { value: [{ id: '1', licenseAssignmentStates: [] }, { id: '2' }] } }, 5);
    assert.deepEqual([missing.status, missing.fields], ['missingField', ['licenseAssignmentStates']]);
    assert.equal(classify(spec, { status: 200, body: { value: [{ id: '1', licenseAssignmentStates: null }] } }, 5).status, 'ok', 'null is an answer');
    const denied = classify(spec, { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } }, 5);
    assert.deepEqual([denied.status, denied.permission], ['missingPermission', 'GroupMember.Read.All']);
    const header = classify({ ...spec, shape: 'count' }, { status: 400, body: { error: { code: 'Request_BadRequest', message: '$count is not currently supported.' } } }, 5);
    assert.deepEqual([header.status, header.header], ['headerWanted', 'ConsistencyLevel: eventual']);
    assert.equal(classify(spec, { status: 503, body: {} }, 5).status, 'failed');
    const batch = classify(
      { ...spec, shape: 'batch' },
      { status: 200, body: { responses: [{ id: '1', status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'x' } } }] } },
      5,
    );
    assert.equal(batch.status, 'missingPermission', 'a refusal inside $batch counts');
  });

  it("matches docs/deploy.md's permission table, required and optional alike", () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'deploy.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([A-Za-z.]+)` \| (required|optional) \|/gm)].map((m) => [m[1], m[2]]);
    assert.deepEqual(rows.sort(), ASKED_PERMISSIONS.map((p) => [p.permission, p.need]).sort());
  });
});
