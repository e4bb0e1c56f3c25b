// PATCH /users/{id} in the sandbox (issue 13 part 6): as strict as Graph. Only the properties the
// sandbox models, a usage location that is an ISO 3166-1 alpha-2 code (Graph's 400 otherwise), all
// or nothing, User.ReadWrite.All (or Directory.ReadWrite.All) required, and reads that lag behind
// the write for behavior.replicationLagMs.
import assert from 'node:assert/strict';
import { skuId, tenantFixture, withSandbox, type TenantFixture } from '../helpers/sandbox';

const E1 = skuId('STANDARDPACK');
const base = (): TenantFixture => tenantFixture('Contoso', { defaultUsageLocation: 'NL' }).sku('STANDARDPACK', 5).user('ann', { usageLocation: null, department: 'Sales' }).build();

async function patch(sb: { url: string }, path: string, body: unknown): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${sb.url}/v1.0${path}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}

describe('sandbox: PATCH /users/{id}', () => {
  const sb = withSandbox(base(), { resetEach: true });
  const ann = '/users/ann@contoso.example';
  const location = async () => (await sb.get(`${ann}?$select=usageLocation,department`)).body;

  it('sets the usage location: 204 without a body, and the user can then be licensed directly', async () => {
    const refused = await sb.post(`${ann}/assignLicense`, { addLicenses: [{ skuId: E1, disabledPlans: [] }], removeLicenses: [] });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.message, 'License assignment cannot be done for user with invalid usage location.');
    const r = await patch(sb, ann, { usageLocation: 'BE' });
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.equal((await location()).usageLocation, 'BE');
    assert.equal((await sb.post(`${ann}/assignLicense`, { addLicenses: [{ skuId: E1, disabledPlans: [] }], removeLicenses: [] })).status, 200);
  });

  it("refuses a value that is not an ISO 3166 code with Graph's 400, changing nothing", async () => {
    for (const bad of ['UK', 'XX', 'be', 'BEL', '', null, 32]) {
      const r = await patch(sb, ann, { usageLocation: bad });
      assert.equal(r.status, 400, String(bad));
      assert.equal(r.body.error.code, 'Request_BadRequest');
      assert.equal(r.body.error.message, "Invalid value specified for property 'usageLocation' of resource 'User'.");
      assert.ok(r.body.error.innerError['request-id']);
    }
    assert.equal((await location()).usageLocation, null);
  });

  it('only the properties it models; read-only and unknown ones refused; all or nothing', async () => {
    const readOnly = await patch(sb, ann, { usageLocation: 'BE', assignedLicenses: [] });
    assert.equal(readOnly.status, 400);
    assert.equal(readOnly.body.error.message, "Property 'assignedLicenses' is read-only and cannot be set.");
    const unknown = await patch(sb, ann, { usageLocation: 'BE', favouriteColour: 'blue' });
    assert.equal(unknown.body.error.message, "Property 'favouriteColour' does not exist as a declared property or extension property.");
    const notModelled = await patch(sb, ann, { jobTitle: 'Boss' });
    assert.equal(notModelled.status, 400);
    assert.match(notModelled.body.error.message, /does not model writing the user property 'jobTitle'/);
    assert.equal((await patch(sb, ann, '{ not json')).status, 400);
    assert.equal((await patch(sb, ann, [])).status, 400);
    assert.deepEqual([(await location()).usageLocation, (await location()).department], [null, 'Sales'], 'nothing changed');
    assert.equal((await patch(sb, ann, { department: 'Marketing', usageLocation: 'DE' })).status, 204);
    assert.deepEqual([(await location()).usageLocation, (await location()).department], ['DE', 'Marketing']);
    assert.equal((await patch(sb, '/users/nobody@contoso.example', { usageLocation: 'DE' })).status, 404);
  });

  it('inside $batch, item by item', async () => {
    const r = await sb.post('/$batch', {
      requests: [
        { id: '1', method: 'PATCH', url: ann, body: { usageLocation: 'FR' }, headers: { 'Content-Type': 'application/json' } },
        { id: '2', method: 'PATCH', url: ann, body: { usageLocation: 'France' }, headers: { 'Content-Type': 'application/json' } },
      ],
    });
    const by = Object.fromEntries(r.body.responses.map((x: any) => [x.id, x]));
    assert.equal(by['1'].status, 204);
    assert.equal(by['2'].status, 400);
    assert.equal((await location()).usageLocation, 'FR');
  });

  it('reads keep the old usage location for behavior.replicationLagMs; the license logic sees the new one at once', async () => {
    await sb.behavior({ replicationLagMs: 300 });
    assert.equal((await patch(sb, ann, { usageLocation: 'BE' })).status, 204);
    assert.equal((await location()).usageLocation, null, 'a replica behind');
    assert.equal((await sb.post(`${ann}/assignLicense`, { addLicenses: [{ skuId: E1, disabledPlans: [] }], removeLicenses: [] })).status, 200);
    await new Promise((r) => setTimeout(r, 350));
    assert.equal((await location()).usageLocation, 'BE');
  });
});

describe('sandbox: PATCH /users/{id} needs User.ReadWrite.All', () => {
  const roles = ['LicenseAssignment.ReadWrite.All', 'User.Read.All', 'GroupMember.Read.All', 'Organization.Read.All'];
  const without = withSandbox({ ...base(), app: { roles } });
  const directory = withSandbox({ ...base(), app: { roles: [...roles, 'Directory.ReadWrite.All'] } });

  it('refuses it with 403 (also inside $batch) without the permission; a higher one allows it', async () => {
    const r = await patch(without, '/users/ann@contoso.example', { usageLocation: 'BE' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'Authorization_RequestDenied');
    const b = await without.post('/$batch', {
      requests: [{ id: '1', method: 'PATCH', url: '/users/ann@contoso.example', body: { usageLocation: 'BE' }, headers: { 'Content-Type': 'application/json' } }],
    });
    assert.equal(b.body.responses[0].status, 403);
    assert.equal((await without.get('/users/ann@contoso.example?$select=usageLocation')).body.usageLocation, null);
    assert.equal((await patch(directory, '/users/ann@contoso.example', { usageLocation: 'BE' })).status, 204);
  });
});
