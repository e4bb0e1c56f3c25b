import assert from 'node:assert/strict';
import { LicensingError, type ResolvedChange } from '../../src/licensing/model';
import { carryOverServices, reverseSpec } from '../../src/licensing/swap-plan';
import { catalog, planId, planIds, ref, SKU, subscribedSku } from './builders';

const cat = catalog([subscribedSku(SKU.E1), subscribedSku(SKU.E3), subscribedSku(SKU.E5), subscribedSku(SKU.M365_E3), subscribedSku(SKU.BUSINESS_PREMIUM)]);
const E1 = cat.resolve('E1');
const E3 = cat.resolve('E3');
const E5 = cat.resolve('E5');
const M365E3 = cat.resolve('M365 E3');
const SPB = cat.resolve('Business Premium');

const carry = (source = E1, target = E3, disabled: string[] = [], overrides?: { enable?: string[]; disable?: string[] }) =>
  carryOverServices({ source, target, sourceDisabledPlans: disabled, ref, overrides });

describe('licensing/swap-plan', () => {
  describe('carryOverServices', () => {
    it('E1 -> E3 with everything on: nothing disabled, nothing lost, E3 extras gained', () => {
      const r = carry();
      assert.deepEqual(r.disabledPlans, []);
      assert.deepEqual(r.lost, []);
      // The richer editions E3 brings are upgrades, not "kept".
      assert.ok(r.upgraded.includes('SharePoint Online / OneDrive: SharePoint (Plan 1) -> SharePoint (Plan 2)'), r.upgraded.join('; '));
      assert.ok(r.upgraded.includes('Exchange Online mailbox: Exchange Online (Plan 1) -> Exchange Online (Plan 2)'), r.upgraded.join('; '));
      assert.ok(
        r.upgraded.some((u) => u.startsWith('Office apps: ') && u.endsWith(' -> Microsoft 365 Apps for enterprise')),
        r.upgraded.join('; '),
      );
      for (const u of r.upgraded) assert.ok(!r.kept.includes(u.split(': ')[0]!), `${u} is not also kept`);
      assert.ok(r.kept.includes('Microsoft Teams'));
      assert.deepEqual(r.downgraded, []);
      assert.ok(r.gained.includes('Defender for Office 365'));
      assert.ok(r.gained.includes('Information Protection for Office 365'));
      assert.ok(!r.gained.includes('SharePoint Online / OneDrive'));
    });

    it('E1 -> E3 keeps the disabled Yammer off in E3', () => {
      const r = carry(E1, E3, planIds(['YAMMER_ENTERPRISE'], SKU.E1));
      assert.deepEqual(r.disabledPlans, [planId('YAMMER_ENTERPRISE')]);
      assert.ok(!r.kept.includes('Yammer Enterprise'));
      assert.ok(!r.gained.includes('Yammer Enterprise'));
    });

    it('E1 -> E3 maps a disabled service by family, not by id (Stream E1 off -> Stream E3 off)', () => {
      const r = carry(E1, E3, planIds(['STREAM_O365_E1', 'SHAREPOINTSTANDARD', 'FORMS_PLAN_E1'], SKU.E1));
      assert.deepEqual(new Set(r.disabledPlans), new Set(planIds(['STREAM_O365_E3', 'SHAREPOINTENTERPRISE', 'FORMS_PLAN_E3'], SKU.E3)));
      assert.ok(!r.disabledPlans.includes(planId('STREAM_O365_E1')), 'never copies source ids');
    });

    it('only ever disables plans of the target', () => {
      const r = carry(
        E1,
        E3,
        E1.servicePlans.map((p) => p.id),
      );
      const ids = new Set(E3.servicePlans.map((p) => p.id));
      assert.ok(r.disabledPlans.every((id) => ids.has(id)));
      // everything off in E1: E3 keeps it off where there is a counterpart; only new services are on.
      assert.ok(r.disabledPlans.includes(planId('EXCHANGE_S_ENTERPRISE')));
      assert.ok(!r.disabledPlans.includes(planId('ATP_ENTERPRISE')));
      assert.deepEqual(r.kept, []);
      assert.deepEqual(r.lost, []);
    });

    it('E3 -> E1 lists the services lost and the ones kept in a smaller edition', () => {
      const r = carry(E3, E1);
      for (const s of ['Defender for Office 365', 'Information Protection for Office 365', 'Information Protection and Governance Analytics']) {
        assert.ok(r.lost.includes(s), `lost ${s}: ${r.lost.join(', ')}`);
      }
      assert.ok(!r.kept.includes('Office apps'), 'a smaller edition is not "kept"');
      assert.ok(
        r.downgraded.some((d) => d.startsWith('Office apps: Microsoft 365 Apps for enterprise -> ')),
        r.downgraded.join('; '),
      );
      assert.deepEqual(r.upgraded, []);
      assert.ok(r.downgraded.some((d) => d.startsWith('SharePoint Online / OneDrive')));
      assert.deepEqual(r.disabledPlans, []);
    });

    it('the way back is the mirror image: what E1 -> E3 upgrades, E3 -> E1 downgrades', () => {
      const up = carry(E1, E3).upgraded;
      const down = carry(E3, E1).downgraded;
      const flip = (e: string) => e.replace(/^(.*?): (.*) -> (.*)$/, '$1: $3 -> $2');
      assert.ok(up.length >= 3);
      assert.deepEqual(new Set(down.map(flip)), new Set(up));
    });

    it('E3 -> E5: Kaizala Pro is kept (KAIZALA_STANDALONE is in the Kaizala family), not lost and gained', () => {
      const r = carry(E3, E5);
      assert.ok(!r.lost.includes('Kaizala') && !r.gained.some((g) => /kaizala/i.test(g)), `lost ${r.lost.join(', ')}; gained ${r.gained.join(', ')}`);
      assert.ok(r.kept.includes('Kaizala'));
    });

    it('names two editions that share a friendly name by their plan names, never "X -> X"', () => {
      const r = carry(E3, E1);
      assert.ok(r.downgraded.includes('Power Automate for Office 365: FLOW_O365_P2 -> FLOW_O365_P1'), r.downgraded.join('; '));
      for (const d of r.downgraded) {
        const [from, to] = d.slice(d.indexOf(': ') + 2).split(' -> ');
        assert.notEqual(from, to, d);
      }
    });

    it('E3 -> E1: a service already disabled today is not lost', () => {
      const r = carry(E3, E1, planIds(['ATP_ENTERPRISE'], SKU.E3));
      assert.ok(!r.lost.includes('Defender for Office 365'));
    });

    it('E1 -> E5 -> keeps families across three tiers (Whiteboard Plan 1 off -> Plan 3 off)', () => {
      const r = carry(E1, E5, planIds(['WHITEBOARD_PLAN1'], SKU.E1));
      assert.deepEqual(r.disabledPlans, [planId('WHITEBOARD_PLAN3')]);
    });

    it('a service on today stays on: if identical plans are off but the family is on, its richest target edition is enabled', () => {
      // Business Premium: device management via INTUNE_SMBIZ only (INTUNE_A and INTUNE_O365 off).
      const r = carry(SPB, M365E3, planIds(['INTUNE_A', 'INTUNE_O365'], SKU.BUSINESS_PREMIUM));
      assert.ok(!r.disabledPlans.includes(planId('INTUNE_A')), 'Intune Plan 1 enabled');
      assert.ok(r.disabledPlans.includes(planId('INTUNE_O365')), 'MDM for Office 365 stays as it was');
      assert.ok(r.kept.includes('Device management'));
    });

    it('overrides force plans on or off by name, friendly name or id', () => {
      const r = carry(E1, E3, planIds(['YAMMER_ENTERPRISE'], SKU.E1), {
        enable: ['yammer_enterprise'],
        disable: ['Microsoft Defender for Office 365 (Plan 1)', planId('SWAY')],
      });
      assert.deepEqual(new Set(r.disabledPlans), new Set([planId('ATP_ENTERPRISE'), planId('SWAY')]));
      assert.ok(r.gained.includes('Yammer Enterprise'));
      assert.ok(r.lost.includes('SWAY'), 'forcing off a service the user has today loses it');
    });

    it('an override by family name covers every plan of that family', () => {
      const r = carry(E1, E3, [], { disable: ['SharePoint Online / OneDrive'] });
      assert.deepEqual(r.disabledPlans, [planId('SHAREPOINTENTERPRISE')]);
    });

    it('an override that is not a service of the target is refused', () => {
      assert.throws(
        () => carry(E1, E3, [], { disable: ['SHAREPOINTSTANDARD'] }),
        (e: unknown) => e instanceof LicensingError && e.code === 'INVALID_INPUT' && /not a service of Office 365 E3/.test(e.message),
      );
    });
  });

  describe('reverseSpec', () => {
    const base: Omit<ResolvedChange, 'kind' | 'principal' | 'assignments'> = {
      from: { skuId: E1.skuId, skuPartNumber: E1.skuPartNumber, displayName: E1.displayName },
      to: { skuId: E3.skuId, skuPartNumber: E3.skuPartNumber, displayName: E3.displayName },
      affectedUsers: 1,
      seats: { needed: 1, available: 5 },
      servicesKept: [],
      servicesLost: [],
      servicesGained: [],
      includeDirectCopies: false,
    };
    it('reverses a user swap: E3 back to E1 with the disabled plans the user had', () => {
      const yammer = planIds(['YAMMER_ENTERPRISE'], SKU.E1);
      const change: ResolvedChange = {
        ...base,
        kind: 'user',
        principal: { kind: 'user', id: 'u1', displayName: 'Ann', userPrincipalName: 'ann@contoso.example' },
        assignments: [
          {
            principal: { kind: 'user', id: 'u1', displayName: 'Ann' },
            addLicenses: [{ skuId: E3.skuId, disabledPlans: [planId('YAMMER_ENTERPRISE')] }],
            removeLicenses: [E1.skuId],
            previousDisabledPlans: yammer,
          },
        ],
      };
      assert.deepEqual(reverseSpec(change), {
        principal: { kind: 'user', user: 'u1' },
        from: E3.skuId,
        to: E1.skuId,
        includeDirectCopies: false,
        exactDisabledPlans: { u1: yammer },
      });
    });
    it('reverses a group swap with its direct copies, and a list of users', () => {
      const g = reverseSpec({
        ...base,
        includeDirectCopies: true,
        kind: 'group',
        principal: { kind: 'group', id: 'g1', displayName: 'Sales' },
        assignments: [
          { principal: { kind: 'user', id: 'u2', displayName: 'Bob' }, addLicenses: [], removeLicenses: [E1.skuId], previousDisabledPlans: ['x'] },
          {
            principal: { kind: 'group', id: 'g1', displayName: 'Sales' },
            addLicenses: [{ skuId: E3.skuId, disabledPlans: [] }],
            removeLicenses: [E1.skuId],
            previousDisabledPlans: [],
          },
        ],
      });
      assert.deepEqual(g.principal, { kind: 'group', group: 'g1' });
      assert.equal(g.includeDirectCopies, true);
      assert.deepEqual(g.exactDisabledPlans, { u2: ['x'], g1: [] });
      // The group's undo does not put Bob's removed copy back: the spec says so, for the preflight to show.
      assert.deepEqual(g.directCopiesNotRestored, { removed: [{ kind: 'user', id: 'u2', displayName: 'Bob' }], swapped: [] });
      const u = reverseSpec({
        ...base,
        kind: 'users',
        principal: { kind: 'user', id: 'users:2', displayName: '2 users' },
        assignments: ['a', 'b'].map((id) => ({
          principal: { kind: 'user' as const, id, displayName: id },
          addLicenses: [{ skuId: E3.skuId, disabledPlans: [] }],
          removeLicenses: [E1.skuId],
          previousDisabledPlans: [],
        })),
      });
      assert.deepEqual(u.principal, { kind: 'users', users: ['a', 'b'] });
      assert.equal(u.from, E3.skuId);
      assert.equal(u.directCopiesNotRestored, undefined);
    });
  });
});
