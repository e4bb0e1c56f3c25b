// Usage location: a direct assignment needs one; group licensing silently uses the tenant's country.
//   USAGE_LOCATION_MISSING  block  user / users swap (and a group member whose direct-only copy is
//                                  swapped): the direct call fails without a usage location.
//                           info   group swap: members without one get the tenant's country (named).
//                           warn   group swap and the tenant has no country either.
import type { PrincipalRef } from '../model';
import { countryName, names, type Ctx } from './context';

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
    const one = direct.length === 1;
    ctx.add(
      'USAGE_LOCATION_MISSING',
      'block',
      direct,
      `${names(direct)} ${one ? 'has' : 'have'} no usage location, and a license can't be assigned directly without one. Set ${one ? 'it' : 'their usage location'} in Entra ID first.`,
      { count: direct.length, direct: true },
    );
  }
  if (!viaGroup.length) return;
  const one = viaGroup.length === 1;
  const code = ctx.input.tenant.countryLetterCode;
  if (code) {
    const country = countryName(code);
    ctx.add(
      'USAGE_LOCATION_MISSING',
      'info',
      viaGroup,
      `${names(viaGroup)} ${one ? 'has' : 'have'} no usage location; group licensing will use the organization's country, ${country} (${code.toUpperCase()}).`,
      { count: viaGroup.length, defaultCountry: code.toUpperCase(), defaultCountryName: country },
    );
  } else {
    ctx.add(
      'USAGE_LOCATION_MISSING',
      'warn',
      viaGroup,
      `${names(viaGroup)} ${one ? 'has' : 'have'} no usage location and the organization has no country set either, so the license may fail for ${one ? 'this member' : 'them'}. Set usage locations first.`,
      { count: viaGroup.length, defaultCountry: null },
    );
  }
}
