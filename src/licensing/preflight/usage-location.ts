// Usage location: a direct assignment needs one; group licensing silently uses the tenant's country.
//   USAGE_LOCATION_MISSING  block  user / users swap (and a group member whose direct-only copy is
//                                  swapped): the direct call fails without a usage location.
//                           info   group swap: members without one get the tenant's country (named).
//                           warn   group swap and the tenant has no country either.
import type { PrincipalRef } from '../model';
import { countryName, type Ctx } from './context';

export function checkUsageLocation(ctx: Ctx): void {
  // Users who get a direct assignLicense that adds the target (user / users swaps; in a group swap,
  // members whose direct-only copy of the source is swapped with includeDirectCopies).
  const adding = new Set(ctx.change.assignments.filter((a) => a.principal.kind === 'user' && a.addLicenses.length).map((a) => a.principal.id));
  const direct: PrincipalRef[] = [];
  const viaGroup: PrincipalRef[] = [];
  for (const f of ctx.facts) {
    if (f.user.usageLocation) continue;
    if (adding.has(f.ref.id)) direct.push(f.ref);
    else if (ctx.kind === 'group') viaGroup.push(f.ref);
  }
  if (direct.length) {
    ctx.add('USAGE_LOCATION_MISSING', 'block', direct, { count: direct.length, direct: true });
  }
  if (!viaGroup.length) return;
  const code = ctx.input.tenant.countryLetterCode;
  if (code) {
    const country = countryName(code);
    ctx.add('USAGE_LOCATION_MISSING', 'info', viaGroup, { count: viaGroup.length, defaultCountry: code.toUpperCase(), defaultCountryName: country });
  } else {
    ctx.add('USAGE_LOCATION_MISSING', 'warn', viaGroup, { count: viaGroup.length, defaultCountry: null });
  }
}
