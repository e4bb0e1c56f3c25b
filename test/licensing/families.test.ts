// data/service_families.csv is complete enough that no plan of a known family is reported lost
// while its sibling edition is gained: every pair of SKUs in data/skus.csv that shares a family is
// walked, and any plan left without its family is listed.
import assert from 'node:assert/strict';
import { diffServices } from '../../src/licensing/swap-plan';
import { ref } from './builders';

/** A friendly name less the edition it is sold in ("... for Government", "... G"), to find namesakes. */
function namesake(friendly: string): string {
  return friendly
    .toLowerCase()
    .replace(/\s*(for (government|education|gcc|gcchigh|dod|faculty|students?)|\(gov\)|gcc|\bg\b)\s*$/, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

describe('reference data: service families', () => {
  it('no SKU pair that shares a family reports a plan lost while its namesake of a known family is gained', () => {
    const familyOf = (name: string) => ref.familyByPlanName.get(name.toUpperCase())?.family;
    const skus = [...ref.skusById.values()].filter((s) => s.servicePlans.some((p) => familyOf(p.name)));
    // family -> SKUs holding one of its plans: only pairs that share a family are compared.
    const byFamily = new Map<string, Set<number>>();
    skus.forEach((s, i) => {
      for (const p of s.servicePlans) {
        const f = familyOf(p.name);
        if (f) (byFamily.get(f) ?? byFamily.set(f, new Set()).get(f)!).add(i);
      }
    });
    // Per SKU: its plans outside any family, and its family plans, by namesake.
    const orphans = skus.map((s) => s.servicePlans.filter((p) => !familyOf(p.name)).map((p) => ({ p, n: namesake(p.friendlyName) })));
    const familyNames = skus.map((s) => new Set(s.servicePlans.filter((p) => familyOf(p.name)).map((p) => namesake(p.friendlyName))));
    const left = new Set<string>();
    let pairs = 0;
    for (let a = 0; a < skus.length; a++) {
      const partners = new Set<number>();
      for (const p of skus[a]!.servicePlans) {
        const f = familyOf(p.name);
        if (f) for (const b of byFamily.get(f)!) if (b !== a) partners.add(b);
      }
      for (const b of partners) {
        pairs++;
        // Only a plan with a namesake among B's family plans can be left without its family.
        if (!orphans[a]!.some((o) => familyNames[b]!.has(o.n))) continue;
        const d = diffServices(skus[a]!.servicePlans, skus[b]!.servicePlans, ref);
        if (!d.lost.length) continue;
        // Gained plans of a known family, by namesake.
        const gained = new Map<string, string>();
        for (const q of skus[b]!.servicePlans) if (familyOf(q.name) && d.gained.includes(familyOf(q.name)!)) gained.set(namesake(q.friendlyName), q.name);
        for (const p of skus[a]!.servicePlans) {
          if (familyOf(p.name) || !d.lost.includes(p.friendlyName || p.name)) continue;
          const sibling = gained.get(namesake(p.friendlyName));
          if (sibling)
            left.add(`${p.name} (${p.friendlyName}) is lost while ${sibling} (${familyOf(sibling)}) is gained, e.g. ${skus[a]!.skuPartNumber} -> ${skus[b]!.skuPartNumber}`);
        }
      }
    }
    assert.ok(pairs > 10_000, `walked ${pairs} pairs`);
    assert.deepEqual([...left], []);
  });

  it('every plan of a family is a plan of the reference table, with its id', () => {
    for (const f of ref.familyByPlanName.values()) {
      const p = ref.plansByName.get(f.planName.toUpperCase());
      assert.ok(p, f.planName);
      assert.equal(p.id, f.planId, f.planName);
    }
  });
});
