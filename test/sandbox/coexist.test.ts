// The Teams unbundling on the sandbox: Microsoft Teams Enterprise sits beside a "(no Teams)" suite
// (plan-rules.json `coexist`), in one call or added later, while the mutually exclusive sets still
// bite everywhere else (E1 beside E3, a suite's Skype beside another suite's).
import assert from 'node:assert/strict';
import { skuId, tenantFixture, withSandbox } from '../helpers/sandbox';

const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');
const BASIC_NO_TEAMS = skuId('Microsoft_365_Business_Basic_(no Teams)');
const TEAMS_ENT = skuId('Microsoft_Teams_Enterprise_New');

describe('sandbox: Teams Enterprise beside a (no Teams) suite', () => {
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 5)
      .sku('ENTERPRISEPACK', 5)
      .sku('Microsoft_365_Business_Basic_(no Teams)', 5)
      .sku('Microsoft_Teams_Enterprise_New', 5)
      .user('ann', { licenses: ['STANDARDPACK'] })
      .user('bob', { licenses: ['Microsoft_365_Business_Basic_(no Teams)'] })
      .build(),
    { resetEach: true },
  );
  const assign = (user: string, body: unknown) => sb.client().api(`/users/${user}@contoso.example/assignLicense`).post(body);
  const held = async (user: string) =>
    ((await sb.client().api(`/users/${user}@contoso.example`).select('assignedLicenses').get()).assignedLicenses as { skuId: string }[]).map((l) => l.skuId).sort();

  it('a no-Teams suite whose mailbox (Exchange Plan 1) and Skype plan sit in exclusive sets takes Teams Enterprise (Kiosk mailbox, Skype Plan 1) beside it', async () => {
    await assign('bob', { addLicenses: [{ skuId: TEAMS_ENT, disabledPlans: [] }], removeLicenses: [] });
    assert.deepEqual(await held('bob'), [BASIC_NO_TEAMS, TEAMS_ENT].sort());
  });

  it('one call that adds both and removes E1 goes through', async () => {
    await assign('ann', {
      addLicenses: [
        { skuId: BASIC_NO_TEAMS, disabledPlans: [] },
        { skuId: TEAMS_ENT, disabledPlans: [] },
      ],
      removeLicenses: [E1],
    });
    assert.deepEqual(await held('ann'), [BASIC_NO_TEAMS, TEAMS_ENT].sort());
  });

  it('the exclusive sets still hold between other SKUs: E3 beside E1 is refused', async () => {
    await assert.rejects(assign('ann', { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] }), /mutually exclusive/);
    assert.deepEqual(await held('ann'), [E1]);
  });
});
