import assert from 'node:assert/strict';
import { planId, skuId, tenantFixture, withSandbox } from '../helpers/sandbox';

const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');
const WPA = skuId('WORKPLACE_ANALYTICS');

interface State {
  skuId: string;
  assignedByGroup: string | null;
  state: string;
  error: string;
  disabledPlans: string[];
  lastUpdatedDateTime: string;
}

describe('sandbox: group licensing', () => {
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 20)
      .sku('ENTERPRISEPACK', 5)
      .sku('WORKPLACE_ANALYTICS', 10)
      .user('both', { licenses: ['STANDARDPACK'] }) // E1 directly AND from Sales
      .users(['s2', 's3', 'n1', 'b1', 'b2', 'b3', 'b4', 'b5', 'e3direct'])
      .user('e3holder', { licenses: ['ENTERPRISEPACK'] })
      .group('Sales', { members: ['both', 's2', 'group:Sales Nested', 's3'], licenses: ['STANDARDPACK'] })
      .group('Sales Nested', { members: ['n1'] })
      .group('Big', { members: ['b1', 'b2', 'b3', 'b4', 'b5'] })
      .group('Unified', { securityEnabled: false, groupTypes: ['Unified'], members: ['b1'] })
      .build(),
    { resetEach: true },
  );
  const c = () => sb.client();
  const group = async (name: string) => (await c().api('/groups').filter(`displayName eq '${name}'`).get()).value[0] as { id: string };
  const states = async (user: string): Promise<{ assignedLicenses: { skuId: string }[]; licenseAssignmentStates: State[] }> =>
    c().api(`/users/${user}@contoso.example`).select('assignedLicenses,licenseAssignmentStates').get();
  const seats = async (sku: string) => ((await c().api('/subscribedSkus').get()).value as { skuId: string; consumedUnits: number }[]).find((s) => s.skuId === sku)!.consumedUnits;
  const swap = (groupId: string, add: string, remove: string[]) =>
    c()
      .api(`/groups/${groupId}/assignLicense`)
      .post({ addLicenses: [{ skuId: add, disabledPlans: [] }], removeLicenses: remove });

  it('group E1 -> E3 with a member who also holds E1 directly: that member ends E1-only with E3 in MutuallyExclusiveViolation', async () => {
    const sales = await group('Sales');
    const [e1Before, e3Before] = [await seats(E1), await seats(E3)];
    const t0 = new Date().toISOString();
    const accepted = await sb.post(`/groups/${sales.id}/assignLicense`, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] });
    assert.equal(accepted.status, 202);
    assert.ok(!('assignedLicenses' in accepted.body), "the 202 carries the group's default properties only");
    const changed = await c().api(`/groups/${sales.id}`).select('assignedLicenses').get();
    assert.deepEqual(changed.assignedLicenses, [{ disabledPlans: [], skuId: E3 }], 'the group changes at once');
    await sb.waitForGroup(sales.id);

    const both = await states('both');
    assert.deepEqual(
      both.assignedLicenses.map((l) => l.skuId),
      [E1],
      'user stays E1 (direct)',
    );
    const direct = both.licenseAssignmentStates.filter((s) => s.assignedByGroup === null);
    const fromSales = both.licenseAssignmentStates.filter((s) => s.assignedByGroup === sales.id);
    assert.deepEqual(
      direct.map((s) => [s.skuId, s.state]),
      [[E1, 'Active']],
    );
    assert.deepEqual(
      fromSales.map((s) => [s.skuId, s.state, s.error]),
      [[E3, 'Error', 'MutuallyExclusiveViolation']],
      "the group's E1 is gone; its E3 is in error",
    );
    assert.ok(fromSales[0].lastUpdatedDateTime >= t0);

    for (const u of ['s2', 's3']) {
      const s = await states(u);
      assert.deepEqual(
        s.assignedLicenses.map((l) => l.skuId),
        [E3],
      );
      assert.deepEqual(
        s.licenseAssignmentStates.map((x) => [x.skuId, x.assignedByGroup, x.state, x.error]),
        [[E3, sales.id, 'Active', 'None']],
      );
      assert.ok(s.licenseAssignmentStates[0].lastUpdatedDateTime >= t0);
    }
    assert.deepEqual((await states('n1')).licenseAssignmentStates, [], 'nested group members are not licensed through the parent');
    assert.equal(await seats(E1), e1Before - 2, 's2 and s3 gave back E1; "both" keeps its seat');
    assert.equal(await seats(E3), e3Before + 2, 'an errored state takes no seat');

    const errors = await c().api(`/groups/${sales.id}/membersWithLicenseErrors`).get();
    assert.deepEqual(
      errors.value.map((u: { userPrincipalName: string; '@odata.type': string }) => [u['@odata.type'], u.userPrincipalName]),
      [['#microsoft.graph.user', 'both@contoso.example']],
    );
    const g = await c().api(`/groups/${sales.id}`).select('hasMembersWithLicenseErrors,licenseProcessingState').get();
    assert.ok(!('hasMembersWithLicenseErrors' in g), 'filter-only: never returned on a GET');
    const inError = await c().api('/groups').filter('hasMembersWithLicenseErrors eq true').select('id').get();
    assert.ok(inError.value.some((x: { id: string }) => x.id === sales.id));
  });

  it('licenseProcessingState goes QueuedForProcessing -> ProcessingInProgress -> ProcessingComplete; members change only at the end', async () => {
    await sb.behavior({ groupProcessingMs: 800 }); // 400 ms per phase: room for a slow poll
    const sales = await group('Sales');
    await swap(sales.id, E3, [E1]);
    const seen: string[] = [];
    let s2Changed = false;
    for (;;) {
      const g = await c().api(`/groups/${sales.id}`).select('licenseProcessingState').get();
      const state = g.licenseProcessingState.state as string;
      if (seen[seen.length - 1] !== state) {
        seen.push(state);
        if (state !== 'ProcessingComplete') s2Changed ||= (await states('s2')).assignedLicenses[0].skuId === E3;
      }
      if (state === 'ProcessingComplete') break;
      await new Promise((r) => setTimeout(r, 15));
    }
    assert.deepEqual(seen, ['QueuedForProcessing', 'ProcessingInProgress', 'ProcessingComplete']);
    assert.equal(s2Changed, false, 'members are processed after groupProcessingMs');
    assert.equal((await states('s2')).assignedLicenses[0].skuId, E3);
  });

  it('seats run out: the excess members, in member order, get CountViolation and no seat', async () => {
    const big = await group('Big');
    assert.equal(await seats(E3), 1);
    const r = await sb.post(`/groups/${big.id}/assignLicense`, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] });
    assert.equal(r.status, 202);
    await sb.waitForGroup(big.id);
    const outcome = [];
    for (const u of ['b1', 'b2', 'b3', 'b4', 'b5']) {
      const s = (await states(u)).licenseAssignmentStates[0];
      outcome.push(`${s.state}/${s.error}`);
    }
    assert.deepEqual(outcome, ['Active/None', 'Active/None', 'Active/None', 'Active/None', 'Error/CountViolation']);
    assert.equal(await seats(E3), 5);
    const errors = await c().api(`/groups/${big.id}/membersWithLicenseErrors`).select('userPrincipalName').get();
    assert.deepEqual(
      errors.value.map((u: { userPrincipalName: string }) => u.userPrincipalName),
      ['b5@contoso.example'],
    );

    // Free a seat and reprocess the member in error: it becomes Active.
    await c()
      .api('/users/e3holder@contoso.example/assignLicense')
      .post({ addLicenses: [], removeLicenses: [E3] });
    const still = (await states('b5')).licenseAssignmentStates[0];
    assert.equal(still.error, 'CountViolation', 'no automatic reprocessing');
    await c().api('/users/b5@contoso.example/reprocessLicenseAssignment').post({});
    assert.deepEqual(
      (await states('b5')).assignedLicenses.map((l: { skuId: string }) => l.skuId),
      [E3],
    );
    const after = (await states('b5')).licenseAssignmentStates[0];
    assert.deepEqual([after.state, after.error], ['Active', 'None']);
    assert.equal(await seats(E3), 5);
  });

  it('group-level prerequisite: an add-on without its prerequisite in the same group is an immediate 400', async () => {
    const big = await group('Big');
    const alone = await sb.post(`/groups/${big.id}/assignLicense`, { addLicenses: [{ skuId: WPA, disabledPlans: [] }], removeLicenses: [] });
    assert.equal(alone.status, 400);
    assert.equal(alone.body.error.code, 'Request_BadRequest');
    assert.match(alone.body.error.message, new RegExp(`service plan ${planId('WORKPLACE_ANALYTICS')} depends on the service plan\\(s\\)`));
    const g = await c().api(`/groups/${big.id}`).select('assignedLicenses,licenseProcessingState').get();
    assert.deepEqual(g.assignedLicenses, [], 'nothing changed');
    const together = await sb.post(`/groups/${big.id}/assignLicense`, {
      addLicenses: [
        { skuId: E1, disabledPlans: [] },
        { skuId: WPA, disabledPlans: [] },
      ],
      removeLicenses: [],
    });
    assert.equal(together.status, 202);
    await sb.waitForGroup(big.id);
    assert.deepEqual((await states('b1')).assignedLicenses.map((l) => l.skuId).sort(), [E1, WPA].sort());
  });

  it('refuses unknown SKUs, removing what the group lacks, and groups that are not security-enabled', async () => {
    const big = await group('Big');
    const bogus = '11111111-2222-4333-8444-555555555555';
    const a = await sb.post(`/groups/${big.id}/assignLicense`, { addLicenses: [{ skuId: bogus, disabledPlans: [] }], removeLicenses: [] });
    assert.equal(a.body.error.message, `License ${bogus} does not correspond to a valid company License.`);
    const b = await sb.post(`/groups/${big.id}/assignLicense`, { addLicenses: [], removeLicenses: [E1] });
    assert.equal(b.status, 400);
    const unified = await group('Unified');
    const u = await sb.post(`/groups/${unified.id}/assignLicense`, { addLicenses: [{ skuId: E1, disabledPlans: [] }], removeLicenses: [] });
    assert.equal(u.status, 400);
    const bad = await sb.post(`/groups/${big.id}/assignLicense`, '{"addLicenses": [');
    assert.equal(bad.status, 400);
    assert.equal((await sb.post('/groups/00000000-0000-4000-8000-000000000000/assignLicense', { addLicenses: [], removeLicenses: [] })).status, 404);
  });

  it('removing the group license takes it from members (states gone, seats back)', async () => {
    const sales = await group('Sales');
    const e1 = await seats(E1);
    await sb.post(`/groups/${sales.id}/assignLicense`, { addLicenses: [], removeLicenses: [E1] });
    await sb.waitForGroup(sales.id);
    assert.deepEqual((await states('s2')).licenseAssignmentStates, []);
    assert.deepEqual(
      (await states('both')).licenseAssignmentStates.map((s) => s.assignedByGroup),
      [null],
    );
    assert.equal(await seats(E1), e1 - 2);
  });
});

describe('sandbox: group licensing at load and per-member rule errors', () => {
  const sb = withSandbox(
    tenantFixture('Contoso', { defaultUsageLocation: null })
      .sku('STANDARDPACK', 2)
      .sku('ENTERPRISEPACK', 2)
      .sku('WORKPLACE_ANALYTICS', 10)
      .user('first', { usageLocation: 'NL' })
      .user('second', { usageLocation: 'NL' })
      .user('third', { usageLocation: 'NL' })
      .user('nowhere', { usageLocation: null })
      .user('e1direct', { usageLocation: 'NL', licenses: ['STANDARDPACK'] })
      .group('Analytics', { members: ['first', 'second', 'third', 'nowhere'], licenses: ['STANDARDPACK', 'WORKPLACE_ANALYTICS'] })
      .group('E3 group', { members: ['e1direct', 'first', 'second', 'third'], licenses: ['ENTERPRISEPACK'] })
      .build(),
  );
  const states = async (user: string) =>
    ((await sb.client().api(`/users/${user}@contoso.example`).select('licenseAssignmentStates').get()).licenseAssignmentStates as State[]).map((s) => [s.skuId, s.state, s.error]);

  it('the tenant is fully processed at load: excess members in CountViolation in member order', async () => {
    // E1 has 2 seats: e1direct holds one directly, "first" takes the last; "second" and "third" are over.
    assert.deepEqual(await states('first'), [
      [E1, 'Active', 'None'],
      [WPA, 'Active', 'None'],
      [E3, 'Error', 'MutuallyExclusiveViolation'],
    ]);
    assert.deepEqual(await states('second'), [
      [E1, 'Error', 'CountViolation'],
      [WPA, 'Error', 'DependencyViolation'],
      [E3, 'Active', 'None'],
    ]);
    assert.deepEqual(await states('third'), [
      [E1, 'Error', 'CountViolation'],
      [WPA, 'Error', 'DependencyViolation'],
      [E3, 'Active', 'None'],
    ]);
    assert.deepEqual(await states('e1direct'), [
      [E1, 'Active', 'None'],
      [E3, 'Error', 'MutuallyExclusiveViolation'],
    ]);
  });

  it('no usage location and no tenant default: ProhibitedInUsageLocationViolation', async () => {
    assert.deepEqual(await states('nowhere'), [
      [E1, 'Error', 'ProhibitedInUsageLocationViolation'],
      [WPA, 'Error', 'ProhibitedInUsageLocationViolation'],
    ]);
    const analytics = (await sb.client().api('/groups').filter("displayName eq 'Analytics'").get()).value[0];
    const errs = await sb.client().api(`/groups/${analytics.id}/membersWithLicenseErrors`).select('userPrincipalName').get();
    assert.deepEqual(
      errs.value.map((u: { userPrincipalName: string }) => u.userPrincipalName.split('@')[0]),
      ['second', 'third', 'nowhere'],
    );
    const filtered = await sb.client().api('/groups').filter('hasMembersWithLicenseErrors eq true').select('displayName').get();
    assert.deepEqual(
      filtered.value.map((g: { displayName: string }) => g.displayName),
      ['Analytics', 'E3 group'],
    );
  });
});

describe('sandbox: a user without usage location under group licensing takes the tenant default', () => {
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 5)
      .user('nola', { usageLocation: null })
      .group('All', { members: ['nola'], licenses: ['STANDARDPACK'] })
      .build(),
  );

  it('is licensed through the group; its own usageLocation stays null', async () => {
    const u = await sb.client().api('/users/nola@contoso.example').select('usageLocation,assignedLicenses').get();
    assert.equal(u.usageLocation, null);
    assert.deepEqual(
      u.assignedLicenses.map((l: { skuId: string }) => l.skuId),
      [E1],
    );
  });
});
