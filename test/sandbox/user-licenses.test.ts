import assert from 'node:assert/strict';
import { planId, skuId, tenantFixture, withSandbox } from '../helpers/sandbox';

const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');
const PROJECT = skuId('PROJECTPROFESSIONAL');
const WPA = skuId('WORKPLACE_ANALYTICS');

/** Graph SDK rejection -> { statusCode, code, message }. */
async function graphFailure(p: Promise<unknown>): Promise<{ statusCode: number; code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { statusCode: number; code: string; message: string };
    return { statusCode: err.statusCode, code: err.code, message: err.message };
  }
  assert.fail('expected Graph to refuse');
}

describe('sandbox: POST /users/{id}/assignLicense', () => {
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 10)
      .sku('ENTERPRISEPACK', 3)
      .sku('PROJECTPROFESSIONAL', 5)
      .sku('WORKPLACE_ANALYTICS', 5)
      .user('alice', { licenses: ['STANDARDPACK'] })
      .user('nola', { usageLocation: null })
      .user('gina')
      .user('dora', { licenses: ['STANDARDPACK'] })
      .user('wally', { licenses: ['STANDARDPACK', 'WORKPLACE_ANALYTICS'] })
      .user('bare')
      .user('pat', { licenses: ['STANDARDPACK', { sku: 'PROJECTPROFESSIONAL', disabledPlans: ['SHAREPOINTENTERPRISE'] }] })
      .user('e3user', { licenses: ['ENTERPRISEPACK'] })
      .group('Sales', { members: ['gina', 'dora'], licenses: ['STANDARDPACK'] })
      .build(),
    { resetEach: true },
  );
  const assign = (user: string, body: unknown) => sb.client().api(`/users/${user}@contoso.example/assignLicense`).post(body);
  const seats = async (sku: string) => (await sb.client().api('/subscribedSkus').get()).value.find((s: { skuId: string }) => s.skuId === sku).consumedUnits as number;
  const states = async (user: string) =>
    (await sb.client().api(`/users/${user}@contoso.example`).select('assignedLicenses,licenseAssignmentStates').get()) as {
      assignedLicenses: { skuId: string; disabledPlans: string[] }[];
      licenseAssignmentStates: { skuId: string; assignedByGroup: string | null; state: string; error: string; disabledPlans: string[]; lastUpdatedDateTime: string }[];
    };

  it('lists read after a change show the change: /users and /groups/{id}/members pages are never stale', async () => {
    const select = 'id,userPrincipalName,assignedLicenses,licenseAssignmentStates';
    const held = (page: { value: { userPrincipalName: string; assignedLicenses: { skuId: string }[] }[] }, upn: string) =>
      page.value
        .find((u) => u.userPrincipalName === `${upn}@contoso.example`)!
        .assignedLicenses.map((l) => l.skuId)
        .sort();
    const group = (await sb.client().api('/groups').filter("displayName eq 'Sales'").get()).value[0].id as string;
    const users = () => sb.client().api('/users').select(select).top(999).get();
    const members = () => sb.client().api(`/groups/${group}/members/microsoft.graph.user`).select(select).top(999).get();
    assert.deepEqual(held(await users(), 'alice'), [E1]);
    assert.deepEqual(held(await members(), 'dora'), [E1]);
    await assign('alice', { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] });
    await assign('dora', { addLicenses: [{ skuId: WPA, disabledPlans: [] }], removeLicenses: [] });
    assert.deepEqual(held(await users(), 'alice'), [E3]);
    assert.deepEqual(held(await members(), 'dora'), [E1, WPA].sort());
  });

  it('swaps E1 -> E3 in one call: add and remove at the same moment, 200 with the user, seats moved', async () => {
    const [e1Before, e3Before] = [await seats(E1), await seats(E3)];
    const before = Date.now();
    const user = await assign('alice', { addLicenses: [{ skuId: E3, disabledPlans: [planId('SWAY')] }], removeLicenses: [E1] });
    assert.equal(user.userPrincipalName, 'alice@contoso.example');
    assert.ok(!('assignedLicenses' in user), "the 200 carries the user's default properties only");
    const s = await states('alice');
    assert.deepEqual(s.assignedLicenses, [{ skuId: E3, disabledPlans: [planId('SWAY')] }]);
    assert.equal(s.licenseAssignmentStates.length, 1);
    assert.equal(s.licenseAssignmentStates[0].assignedByGroup, null);
    assert.ok(Date.parse(s.licenseAssignmentStates[0].lastUpdatedDateTime) >= before - 1000);
    assert.deepEqual([await seats(E1), await seats(E3)], [e1Before - 1, e3Before + 1]);
  });

  it('adding E3 beside E1 fails: SharePoint plans are mutually exclusive (Graph wording, plan ids); nothing changes', async () => {
    const f = await graphFailure(assign('alice', { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] }));
    assert.equal(f.statusCode, 400);
    assert.equal(f.code, 'Request_BadRequest');
    assert.match(f.message, /^License assignment failed because service plans [0-9a-f-]{36},[0-9a-f-]{36} are mutually exclusive\.$/);
    assert.ok(f.message.includes(planId('SHAREPOINTENTERPRISE')) && f.message.includes(planId('SHAREPOINTSTANDARD')));
    assert.deepEqual(
      (await states('alice')).assignedLicenses.map((l) => l.skuId),
      [E1],
    );
  });

  it('a user without usage location cannot get a license', async () => {
    const f = await graphFailure(assign('nola', { addLicenses: [{ skuId: E1, disabledPlans: [] }], removeLicenses: [] }));
    assert.equal(f.statusCode, 400);
    assert.equal(f.message, 'License assignment cannot be done for user with invalid usage location.');
  });

  it('no seat left: Graph\'s "Subscription with SKU … does not have any available licenses"; the failed call changes nothing (all or nothing)', async () => {
    await assign('bare', { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] }); // 2 of 3
    await assign('nola', { addLicenses: [], removeLicenses: [] }).catch(() => undefined);
    const f0 = await graphFailure(assign('gina', { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] }));
    assert.match(f0.message, /mutually exclusive/, 'gina holds E1 from Sales');
    await assign('alice', { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] }); // 3 of 3
    assert.equal(await seats(E3), 3);
    const e1 = await seats(E1);
    const f = await graphFailure(
      assign('dora', {
        addLicenses: [
          { skuId: E3, disabledPlans: [] },
          { skuId: PROJECT, disabledPlans: [] },
        ],
        removeLicenses: [E1],
      }),
    );
    assert.equal(f.message, `Subscription with SKU ${E3} does not have any available licenses.`);
    assert.equal(await seats(E1), e1, 'E1 not removed');
    assert.equal(await seats(PROJECT), 1, 'Project not added');
  });

  it('a license inherited from a group cannot be removed directly', async () => {
    const f = await graphFailure(assign('gina', { addLicenses: [], removeLicenses: [E1] }));
    assert.equal(f.statusCode, 400);
    assert.equal(f.message, 'User license is inherited from a group membership and it cannot be removed directly from the user.');
  });

  it('removing a SKU the user does not hold is a 400', async () => {
    const f = await graphFailure(assign('bare', { addLicenses: [], removeLicenses: [E1] }));
    assert.equal(f.statusCode, 400);
    assert.equal(f.message, 'User does not have a corresponding license.');
  });

  it('a user holding E1 directly and from a group keeps one seat; removing the direct copy keeps E1 (inherited)', async () => {
    const e1 = await seats(E1);
    await assign('dora', { addLicenses: [], removeLicenses: [E1] });
    assert.deepEqual(
      (await states('dora')).assignedLicenses.map((l: { skuId: string }) => l.skuId),
      [E1],
    );
    assert.equal(await seats(E1), e1);
    const s = await states('dora');
    assert.deepEqual(
      s.licenseAssignmentStates.map((x) => x.assignedByGroup === null),
      [false],
    );
  });

  it('dependencies: removing the only Exchange under Workplace Analytics, or adding it alone, names both plans', async () => {
    const f = await graphFailure(assign('wally', { addLicenses: [], removeLicenses: [E1] }));
    assert.equal(f.statusCode, 400);
    assert.equal(
      f.message,
      `License assignment failed because service plan ${planId('WORKPLACE_ANALYTICS')} depends on the service plan(s) ${planId('EXCHANGE_S_STANDARD')},${planId('EXCHANGE_S_ENTERPRISE')}.`,
    );
    const g = await graphFailure(assign('bare', { addLicenses: [{ skuId: WPA, disabledPlans: [] }], removeLicenses: [] }));
    assert.match(g.message, /depends on the service plan\(s\)/);
    // With the prerequisite in the same call it works; swapping E1 -> E3 keeps Exchange for wally.
    await assign('bare', {
      addLicenses: [
        { skuId: E1, disabledPlans: [] },
        { skuId: WPA, disabledPlans: [] },
      ],
      removeLicenses: [],
    });
    await assign('wally', { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] });
  });

  it("Project with its SharePoint disabled beside E1: E1 -> E3 works, E3 -> E1 breaks Project's SharePoint dependency", async () => {
    await assign('pat', { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] });
    const f = await graphFailure(assign('pat', { addLicenses: [{ skuId: E1, disabledPlans: [] }], removeLicenses: [E3] }));
    assert.equal(f.message, `License assignment failed because service plan ${planId('SHAREPOINT_PROJECT')} depends on the service plan(s) ${planId('SHAREPOINTENTERPRISE')}.`);
  });

  it('unknown SKU, a plan not in the SKU, a non-GUID, the same SKU added and removed: Graph 400s', async () => {
    const bogus = '11111111-2222-4333-8444-555555555555';
    const a = await graphFailure(assign('bare', { addLicenses: [{ skuId: bogus, disabledPlans: [] }], removeLicenses: [] }));
    assert.equal(a.message, `License ${bogus} does not correspond to a valid company License.`);
    const r = await graphFailure(assign('alice', { addLicenses: [], removeLicenses: [bogus] }));
    assert.equal(r.message, `License ${bogus} does not correspond to a valid company License.`);
    const p = await graphFailure(assign('bare', { addLicenses: [{ skuId: E1, disabledPlans: [planId('SHAREPOINTENTERPRISE')] }], removeLicenses: [] }));
    assert.equal(p.statusCode, 400);
    assert.match(p.message, new RegExp(`${planId('SHAREPOINTENTERPRISE')}.*${E1}`));
    const g = await graphFailure(assign('bare', { addLicenses: [{ skuId: 'E1', disabledPlans: [] }], removeLicenses: [] }));
    assert.match(g.message, /Edm\.Guid/);
    const same = await graphFailure(assign('alice', { addLicenses: [{ skuId: E1, disabledPlans: [] }], removeLicenses: [E1] }));
    assert.equal(same.statusCode, 400);
    assert.equal((await states('bare')).licenseAssignmentStates.length, 0);
  });

  it('changing disabledPlans of a held SKU replaces them (needs no seat)', async () => {
    const e1 = await seats(E1);
    await assign('alice', { addLicenses: [{ skuId: E1, disabledPlans: [planId('YAMMER_ENTERPRISE'), planId('SWAY')] }], removeLicenses: [] });
    assert.deepEqual(new Set((await states('alice')).assignedLicenses[0].disabledPlans), new Set([planId('YAMMER_ENTERPRISE'), planId('SWAY')]));
    assert.equal(await seats(E1), e1);
    await assign('alice', { addLicenses: [{ skuId: E1, disabledPlans: [] }], removeLicenses: [] });
    assert.deepEqual((await states('alice')).assignedLicenses[0].disabledPlans, []);
  });

  it('malformed JSON and wrong shapes are Graph 400s, never a crash; the server keeps serving', async () => {
    const url = '/users/alice@contoso.example/assignLicense';
    const cases: unknown[] = [
      '{ not json',
      '[]',
      '"text"',
      '{}',
      { addLicenses: [] },
      { removeLicenses: [] },
      { addLicenses: {}, removeLicenses: [] },
      { addLicenses: [null], removeLicenses: [] },
      { addLicenses: [{}], removeLicenses: [] },
      { addLicenses: [{ skuId: E3, disabledPlans: 'x' }], removeLicenses: [] },
      { addLicenses: [], removeLicenses: [42] },
    ];
    for (const body of cases) {
      const r = await sb.post(url, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(typeof r.body.error.code, 'string');
      assert.equal(typeof r.body.error.message, 'string');
    }
    const none = await sb.post(url);
    assert.equal(none.status, 400);
    assert.equal((await sb.get('/users/alice@contoso.example')).status, 200);
    assert.equal((await sb.post('/users/nobody@contoso.example/assignLicense', { addLicenses: [], removeLicenses: [] })).status, 404);
  });
});

describe('sandbox: custom SKUs and fixture rules', () => {
  const ADDON = '0a0a0a0a-1111-4222-8333-444444444444';
  const PLAN_A = '0a0a0a0a-1111-4222-8333-555555555555';
  const PLAN_B = '0a0a0a0a-1111-4222-8333-666666666666';
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 5)
      .sku('CONTOSO_ADDON', 5, {
        skuId: ADDON,
        servicePlans: [
          { name: 'CONTOSO_PLAN', id: PLAN_A },
          { name: 'CONTOSO_EXTRA', id: PLAN_B },
        ],
      })
      .mutuallyExclusive('CONTOSO_EXTRA', 'SWAY')
      .dependency('CONTOSO_PLAN', ['TEAMS1'])
      .user('u')
      .build(),
    { resetEach: true },
  );
  const assign = (body: unknown) => sb.post('/users/u@contoso.example/assignLicense', body);

  it('apply the fixture rules on top of the built-in ones', async () => {
    const dep = await assign({ addLicenses: [{ skuId: ADDON, disabledPlans: [PLAN_B] }], removeLicenses: [] });
    assert.equal(dep.status, 400);
    assert.equal(dep.body.error.message, `License assignment failed because service plan ${PLAN_A} depends on the service plan(s) ${planId('TEAMS1')}.`);
    const ex = await assign({
      addLicenses: [
        { skuId: E1, disabledPlans: [] },
        { skuId: ADDON, disabledPlans: [] },
      ],
      removeLicenses: [],
    });
    assert.equal(ex.status, 400);
    assert.match(ex.body.error.message, /mutually exclusive/);
    const ok = await assign({
      addLicenses: [
        { skuId: E1, disabledPlans: [planId('SWAY')] },
        { skuId: ADDON, disabledPlans: [] },
      ],
      removeLicenses: [],
    });
    assert.equal(ok.status, 200);
    const skus = (await sb.get('/subscribedSkus')).body.value;
    assert.deepEqual(
      skus.find((s: { skuId: string }) => s.skuId === ADDON).servicePlans.map((p: { servicePlanName: string }) => p.servicePlanName),
      ['CONTOSO_PLAN', 'CONTOSO_EXTRA'],
    );
  });
});
