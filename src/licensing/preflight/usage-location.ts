// Usage location: a direct assignment needs one; group licensing silently uses the tenant's country.
//   USAGE_LOCATION_MISSING  block  user / users swap: the direct call fails without a usage location.
//                           info   group swap: members without one get the tenant's country (named).
//                           warn   group swap and the tenant has no country either.
import type { PrincipalRef } from '../model';
import { countryName, names, type Ctx } from './context';

export function checkUsageLocation(ctx: Ctx): void {
  const missing: PrincipalRef[] = [];
  if (ctx.kind === 'group') {
    for (const f of ctx.facts) if (!f.user.usageLocation) missing.push(f.ref);
  } else {
    const adding = new Set(ctx.change.assignments.filter((a) => a.addLicenses.length).map((a) => a.principal.id));
    for (const f of ctx.facts) if (adding.has(f.ref.id) && !f.user.usageLocation) missing.push(f.ref);
  }
  if (!missing.length) return;
  const one = missing.length === 1;
  if (ctx.kind !== 'group') {
    ctx.add(
      'USAGE_LOCATION_MISSING',
      'block',
      missing,
      `${names(missing)} ${one ? 'has' : 'have'} no usage location, and a license can't be assigned directly without one. Set ${one ? 'it' : 'their usage location'} in Entra ID first.`,
      { count: missing.length },
    );
    return;
  }
  const code = ctx.input.tenant.countryLetterCode;
  if (code) {
    const country = countryName(code);
    ctx.add(
      'USAGE_LOCATION_MISSING',
      'info',
      missing,
      `${names(missing)} ${one ? 'has' : 'have'} no usage location; group licensing will use the organization's country, ${country} (${code.toUpperCase()}).`,
      { count: missing.length, defaultCountry: code.toUpperCase(), defaultCountryName: country },
    );
  } else {
    ctx.add(
      'USAGE_LOCATION_MISSING',
      'warn',
      missing,
      `${names(missing)} ${one ? 'has' : 'have'} no usage location and the organization has no country set either, so the license may fail for ${one ? 'this member' : 'them'}. Set usage locations first.`,
      { count: missing.length, defaultCountry: null },
    );
  }
}
