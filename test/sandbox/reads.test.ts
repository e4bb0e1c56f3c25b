import assert from 'node:assert/strict';
import { PageIterator } from '@microsoft/microsoft-graph-client';
import { planId, skuId, tenantFixture, withSandbox } from '../helpers/sandbox';

const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');
const TENANT_ID = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';

describe('sandbox Graph reads', () => {
  const fx = tenantFixture('Contoso', { id: TENANT_ID })
    .sku('STANDARDPACK', 300)
    .sku('ENTERPRISEPACK', 5, { warning: 2, capabilityStatus: 'Warning' })
    .user('alice', { displayName: 'Alice de Vries', department: 'Sales', licenses: [{ sku: 'STANDARDPACK', disabledPlans: ['YAMMER_ENTERPRISE'] }] })
    .user('bob', { displayName: 'Bob Jansen', usageLocation: null })
    .user('sean.obrien', { displayName: "Seán O'Brien", licenses: ['ENTERPRISEPACK'] })
    .user('carol', { displayName: 'Carol Bakker' })
    .group('Sales', { members: ['alice', 'bob', 'group:Sales Interns'], licenses: ['STANDARDPACK'] })
    .group('Sales Interns', { members: ['carol'] })
    .group('Dynamic Staff', { groupTypes: ['DynamicMembership'], membershipRule: 'user.department -eq "Sales"', members: ['alice'] })
    .group('Synced', { onPremisesSyncEnabled: true })
    .generate('All Staff', 250, { prefix: 'staff' })
    .build();
  const sb = withSandbox(fx);

  it('GET /organization: the tenant id, name and country', async () => {
    const org = await sb.client().api('/organization').get();
    assert.equal(org.value.length, 1);
    assert.deepEqual([org.value[0].id, org.value[0].displayName, org.value[0].countryLetterCode], [TENANT_ID, 'Contoso', 'NL']);
  });

  it('GET /subscribedSkus: Graph fields, seats counted once per user and SKU', async () => {
    const res = await sb.client().api('/subscribedSkus').get();
    const e1 = res.value.find((s: { skuId: string }) => s.skuId === E1);
    const e3 = res.value.find((s: { skuId: string }) => s.skuId === E3);
    assert.equal(e1.id, `${TENANT_ID}_${E1}`);
    assert.equal(e1.skuPartNumber, 'STANDARDPACK');
    assert.equal(e1.appliesTo, 'User');
    assert.equal(e1.capabilityStatus, 'Enabled');
    assert.equal(e1.consumedUnits, 2, 'alice (direct + Sales) and bob (Sales): 2 seats, not 3');
    assert.deepEqual(e1.prepaidUnits, { enabled: 300, suspended: 0, warning: 0, lockedOut: 0 });
    assert.equal(e3.capabilityStatus, 'Warning');
    assert.equal(e3.prepaidUnits.warning, 2);
    const sp = e1.servicePlans.find((p: { servicePlanName: string }) => p.servicePlanName === 'SHAREPOINTSTANDARD');
    assert.deepEqual(sp, { servicePlanId: planId('SHAREPOINTSTANDARD'), servicePlanName: 'SHAREPOINTSTANDARD', provisioningStatus: 'Success', appliesTo: 'User' });
  });

  it('GET /users/{id|upn}: by id or UPN (any case); 404 in Graph shape', async () => {
    const byUpn = await sb.client().api('/users/ALICE@contoso.example').get();
    const byId = await sb.client().api(`/users/${byUpn.id}`).select('userPrincipalName,department,usageLocation,accountEnabled').get();
    assert.equal(byId.userPrincipalName, 'alice@contoso.example');
    assert.equal(byId.department, 'Sales');
    assert.equal(byId.usageLocation, 'NL');
    assert.equal(byId.accountEnabled, true);
    const missing = await sb.get('/users/nobody@contoso.example');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'Request_ResourceNotFound');
    assert.match(missing.body.error.message, /Resource 'nobody@contoso.example' does not exist/);
  });

  it("$select: only the named fields plus id; without it Graph's default set, the license fields only when selected", async () => {
    const plain = await sb.client().api('/users/alice@contoso.example').get();
    assert.deepEqual(
      Object.keys(plain)
        .filter((k) => !k.startsWith('@odata'))
        .sort(),
      ['businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'],
    );
    for (const f of ['assignedLicenses', 'licenseAssignmentStates', 'usageLocation', 'accountEnabled']) assert.ok(!(f in plain), `${f} not without $select`);
    const sel = await sb.client().api('/users/alice@contoso.example').select(['displayName', 'licenseAssignmentStates']).get();
    const keys = Object.keys(sel).filter((k) => !k.startsWith('@odata'));
    assert.deepEqual(keys.sort(), ['displayName', 'id', 'licenseAssignmentStates']);
    const sales = (await sb.client().api('/groups').filter("displayName eq 'Sales'").get()).value[0];
    assert.deepEqual(
      sel.licenseAssignmentStates.map((s: { assignedByGroup: string | null; state: string; error: string }) => [s.assignedByGroup, s.state, s.error]),
      [
        [null, 'Active', 'None'],
        [sales.id, 'Active', 'None'],
      ],
    );
    for (const s of sel.licenseAssignmentStates) assert.match(s.lastUpdatedDateTime, /^\d{4}-\d\d-\d\dT/);
    const unknown = await sb.get('/users/alice@contoso.example?$select=displayName,shoeSize');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /shoeSize/);
  });

  it('assignedLicenses is one entry per SKU whose enabled plans are the union of its sources', async () => {
    const alice = await sb.client().api('/users/alice@contoso.example').select('assignedLicenses,licenseAssignmentStates').get();
    assert.deepEqual(alice.assignedLicenses, [{ skuId: E1, disabledPlans: [] }], 'direct disables Yammer, Sales does not: union enables it');
    assert.deepEqual(alice.licenseAssignmentStates[0].disabledPlans, [planId('YAMMER_ENTERPRISE')]);
  });

  it('$filter on users: startswith, any(skuId), doubled quotes; a bad filter is a Graph 400', async () => {
    const c = sb.client();
    const names = async (filter: string) =>
      ((await c.api('/users').filter(filter).select('displayName').top(999).get()).value as { displayName: string }[]).map((u) => u.displayName);
    assert.deepEqual(await names("startswith(displayName,'alice')"), ['Alice de Vries']);
    assert.deepEqual(await names("startswith(userPrincipalName,'bob@')"), ['Bob Jansen']);
    assert.deepEqual(await names("startswith(displayName,'Seán O''B')"), ["Seán O'Brien"]);
    assert.deepEqual(await names("displayName eq 'seán o''brien'"), ["Seán O'Brien"]);
    assert.deepEqual(await names(`assignedLicenses/any(l:l/skuId eq ${E3})`), ["Seán O'Brien"]);
    assert.deepEqual((await names(`assignedLicenses/any(x:x/skuId eq ${E1})`)).sort(), ['Alice de Vries', 'Bob Jansen']);
    assert.deepEqual(await names("startswith(displayName,'Carol') or department eq 'Sales'"), ['Alice de Vries', 'Carol Bakker']);
    for (const bad of ["startswith(displayName,'x'", 'displayName eq', "startswith(displayName,'it''s)", '))((']) {
      const r = await sb.get(`/users?$filter=${encodeURIComponent(bad)}`);
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.error.code, 'BadRequest');
      assert.match(r.body.error.message, /^Invalid filter clause/);
    }
    const unknown = await sb.get(`/users?$filter=${encodeURIComponent("shoeSize eq '42'")}`);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'Request_UnsupportedQuery');
    assert.equal((await sb.get('/users')).status, 200, 'still serving');
  });

  it('$search needs ConsistencyLevel: eventual (else a Graph 400); $count with it', async () => {
    const q = `/users?$search=${encodeURIComponent('"displayName:jan"')}&$select=displayName`;
    const refused = await sb.get(q);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'Request_UnsupportedQuery');
    assert.match(refused.body.error.message, /ConsistencyLevel: eventual/);
    const found = await sb.get(`${q}&$count=true`, { ConsistencyLevel: 'eventual' });
    assert.equal(found.status, 200);
    assert.deepEqual(
      found.body.value.map((u: { displayName: string }) => u.displayName),
      ['Bob Jansen'],
    );
    assert.equal(found.body['@odata.count'], 1);
    const sdk = await sb.client().api('/users').header('ConsistencyLevel', 'eventual').search('"displayName:de vries"').get();
    assert.deepEqual(
      sdk.value.map((u: { displayName: string }) => u.displayName),
      ['Alice de Vries'],
    );
    const unquoted = await sb.get('/users?$search=displayName:jan', { ConsistencyLevel: 'eventual' });
    assert.equal(unquoted.status, 400);
    const noEventualCount = await sb.get('/users?$count=true');
    assert.equal(noEventualCount.status, 400);
    const sales = (await sb.client().api('/groups').filter("displayName eq 'Sales'").get()).value[0];
    const n = await fetch(`${sb.graphBaseUrl}/groups/${sales.id}/members/microsoft.graph.user/$count`, { headers: { ConsistencyLevel: 'eventual' } });
    assert.equal(n.status, 200);
    assert.equal(await n.text(), '2');
    assert.equal((await sb.get('/users/$count')).status, 400, '$count needs ConsistencyLevel: eventual');
  });

  it('GET /groups with $filter eq / startswith; group fields', async () => {
    const eq = await sb.client().api('/groups').filter("displayName eq 'sales'").get();
    assert.deepEqual(
      eq.value.map((g: { displayName: string }) => g.displayName),
      ['Sales'],
    );
    const sw = await sb.client().api('/groups').filter("startswith(displayName,'Sales')").get();
    assert.deepEqual(
      sw.value.map((g: { displayName: string }) => g.displayName),
      ['Sales', 'Sales Interns'],
    );
    const dyn = (await sb.client().api('/groups').filter("displayName eq 'Dynamic Staff'").get()).value[0];
    assert.deepEqual(dyn.groupTypes, ['DynamicMembership']);
    assert.equal(dyn.membershipRule, 'user.department -eq "Sales"');
    const synced = (await sb.client().api('/groups').filter("displayName eq 'Synced'").get()).value[0];
    assert.equal(synced.onPremisesSyncEnabled, true);
    const sales = await sb.client().api(`/groups/${eq.value[0].id}`).select('id,displayName,securityEnabled,assignedLicenses,licenseProcessingState').get();
    assert.deepEqual(sales.assignedLicenses, [{ disabledPlans: [], skuId: E1 }]);
    assert.deepEqual(sales.licenseProcessingState, { state: 'ProcessingComplete' });
    assert.equal(sales.securityEnabled, true);
    assert.equal((await sb.get('/groups/00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it('members: users and nested groups typed with @odata.type; /microsoft.graph.user only users', async () => {
    const sales = (await sb.client().api('/groups').filter("displayName eq 'Sales'").get()).value[0];
    const all = await sb.client().api(`/groups/${sales.id}/members`).select('id,displayName,userPrincipalName').get();
    assert.deepEqual(
      all.value.map((m: Record<string, string>) => [m['@odata.type'], m.displayName]),
      [
        ['#microsoft.graph.user', 'Alice de Vries'],
        ['#microsoft.graph.user', 'Bob Jansen'],
        ['#microsoft.graph.group', 'Sales Interns'],
      ],
    );
    assert.ok(!('userPrincipalName' in all.value[2]), 'a group has no userPrincipalName');
    const users = await sb.client().api(`/groups/${sales.id}/members/microsoft.graph.user`).select('displayName').get();
    assert.deepEqual(
      users.value.map((m: { displayName: string }) => m.displayName),
      ['Alice de Vries', 'Bob Jansen'],
    );
    const interns = (await sb.client().api('/groups').filter("displayName eq 'Sales Interns'").get()).value[0];
    const carol = await sb.client().api('/users/carol@contoso.example').select('assignedLicenses').get();
    assert.deepEqual(carol.assignedLicenses, [], 'a nested group is not licensed through its parent');
    assert.ok(interns.id);
  });

  it('paging: default 100, $top 1..999, absolute @odata.nextLink with an opaque skiptoken, to the end', async () => {
    const allStaff = (await sb.client().api('/groups').filter("displayName eq 'All Staff'").get()).value[0];
    const first = await sb.get(`/groups/${allStaff.id}/members`);
    assert.equal(first.body.value.length, 100);
    assert.match(first.body['@odata.nextLink'], new RegExp(`^${sb.url}/v1\\.0/groups/${allStaff.id}/members\\?.*\\$skiptoken=`));

    const seen: string[] = [];
    let link: string | undefined = `/groups/${allStaff.id}/members/microsoft.graph.user?$select=userPrincipalName&$top=99`;
    let pages = 0;
    while (link) {
      const r: { status: number; body: any } = await sb.get(link);
      assert.equal(r.status, 200);
      for (const m of r.body.value) {
        assert.deepEqual(Object.keys(m).sort(), ['@odata.type', 'id', 'userPrincipalName']);
        seen.push(m.userPrincipalName);
      }
      link = r.body['@odata.nextLink'];
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 250);
    assert.equal(new Set(seen).size, 250);
    assert.equal(seen[0], 'staff1@contoso.example');
    assert.equal(seen[249], 'staff250@contoso.example');

    const sdkPage = await sb.client().api('/users').top(999).get();
    assert.equal(sdkPage.value.length, 254);
    assert.equal(sdkPage['@odata.nextLink'], undefined);

    for (const top of ['0', '1000', 'abc', '-1']) {
      const r = await sb.get(`/groups/${allStaff.id}/members?$top=${top}`);
      assert.equal(r.status, 400, `$top=${top}`);
      assert.equal(r.body.error.message, `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`);
    }
    const badToken = await sb.get(`/groups/${allStaff.id}/members?$skiptoken=garbage`);
    assert.equal(badToken.status, 400);
  });

  it("the Graph SDK's PageIterator follows the sandbox's nextLinks to the end", async () => {
    const allStaff = (await sb.client().api('/groups').filter("displayName eq 'All Staff'").get()).value[0];
    const first = await sb.client().api(`/groups/${allStaff.id}/members/microsoft.graph.user`).select('userPrincipalName').top(120).get();
    const upns: string[] = [];
    await new PageIterator(sb.client(), first, (m: { userPrincipalName: string }) => {
      upns.push(m.userPrincipalName);
      return true;
    }).iterate();
    assert.equal(upns.length, 250);
    assert.equal(new Set(upns).size, 250);
  });

  it('unknown routes and methods answer in Graph shape', async () => {
    const r = await sb.get('/nothingHere');
    assert.equal(r.status, 400);
    assert.ok(r.body.error.code && r.body.error.message);
    const outside = await fetch(`${sb.url}/beta/users`);
    assert.equal(outside.status, 404);
    const del = await fetch(`${sb.graphBaseUrl}/users`, { method: 'DELETE' });
    assert.equal(del.status, 405);
  });
});
