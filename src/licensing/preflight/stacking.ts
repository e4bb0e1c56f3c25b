// Two suites on one person: the target would sit beside a suite they keep from elsewhere.
//   SUITE_STACKED  warn  the target is a suite (E3, Business Premium...) and a person who will get it
//                        keeps another suite (not the source) directly or from a group, with no
//                        clash between them (a clash is MUTUALLY_EXCLUSIVE's): both are paid for,
//                        one seat each, and their services overlap. One finding per kept suite,
//                        with how many people keep it (= the seats of it that stay in use) and
//                        where it comes from (directly, or which groups).
import type { PrincipalRef } from '../model';
import { lc, type Ctx } from './context';
import { seatsNeeded } from './seats';

interface Stack {
  principals: PrincipalRef[];
  direct: number;
  groups: Map<string, number>;
}

export function checkSuiteStacked(ctx: Ctx): void {
  const { rules } = ctx;
  // The suite among the targets (a "(no Teams)" suite beside Teams Enterprise: the suite).
  const suite = ctx.targets.find((t) => rules.isBaseSku(t.skuId));
  if (!suite) return;
  const suiteId = lc(suite.skuId);
  const stacks = new Map<string, Stack>();
  const { facts } = seatsNeeded(ctx, suiteId);
  for (const f of facts) {
    const licenses = f.user.assignedLicenses ?? [];
    // Most people hold the source alone: nothing else to look at.
    if (licenses.length < 2 && (licenses.length === 0 || ctx.sourceIds.has(lc(licenses[0]!.skuId)))) continue;
    const targetOn = ctx.targetsOnFor(f);
    for (const a of licenses) {
      const sku = lc(a.skuId);
      if (ctx.sourceIds.has(sku) || ctx.targetIds.has(sku) || !rules.isBaseSku(sku)) continue;
      if (rules.exclusiveHits(targetOn, rules.enabledNames(sku, a.disabledPlans)).length) continue;
      let st = stacks.get(sku);
      if (!st) stacks.set(sku, (st = { principals: [], direct: 0, groups: new Map() }));
      st.principals.push(f.ref);
      let direct = false;
      for (const s of f.user.licenseAssignmentStates ?? []) {
        if (lc(s.skuId) !== sku) continue;
        if (!s.assignedByGroup) direct = true;
        else st.groups.set(lc(s.assignedByGroup), (st.groups.get(lc(s.assignedByGroup)) ?? 0) + 1);
      }
      if (direct || !(f.user.licenseAssignmentStates ?? []).length) st.direct++;
    }
  }
  const tgt = suite;
  for (const [sku, st] of stacks) {
    const other = { skuId: sku, skuPartNumber: rules.skuPartNumber(sku), displayName: rules.skuName(sku) };
    const groups = [...st.groups].map(([id, members]) => ({ id, displayName: ctx.groupName(id), members }));
    const n = st.principals.length;
    ctx.add('SUITE_STACKED', 'warn', st.principals, {
      sku: other,
      target: { skuId: tgt.skuId, skuPartNumber: tgt.skuPartNumber, displayName: tgt.displayName },
      count: n,
      seats: n,
      direct: st.direct,
      groups,
    });
  }
}
