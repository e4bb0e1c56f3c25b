// Usage location: a direct assignment needs one; group licensing silently uses the tenant's country.
//   USAGE_LOCATION_MISSING  block  user / users swap (and a group member whose direct-only copy is
//                                  swapped): the direct call fails without a usage location.
//                           info   group swap: members without one get the tenant's country (named).
//                           warn   group swap and the tenant has no country either.
//     data.fix       the app may write usage locations: the change can set one first (offered with
//                    the tenant's country, `fix.country`, null when the tenant has none).
//     data.fixNeeds  it may not: the permission that would allow it (doctor shows it as optional).
//   USAGE_LOCATION_SET      info   the change sets `country` on these people before the license
//                                  writes (spec.setUsageLocation, and the app may): no longer missing.
import type { PrincipalRef } from '../model';
import { countryCode } from '../../reference/countries';
import { countryName, type Ctx } from './context';

/** The application permission that lets the app set a usage location (PATCH /users/{id}). */
export const USAGE_LOCATION_PERMISSION = 'User.ReadWrite.All';

export function checkUsageLocation(ctx: Ctx): void {
  // Users who get a direct assignLicense that adds the target (user / users swaps; in a group swap,
  // members whose direct-only copy of the source is swapped with includeDirectCopies).
  const adding = new Set(ctx.change.assignments.filter((a) => a.principal.kind === 'user' && a.addLicenses.length).map((a) => a.principal.id));
  let direct: PrincipalRef[] = [];
  let viaGroup: PrincipalRef[] = [];
  for (const f of ctx.facts) {
    if (f.user.usageLocation) continue;
    if (adding.has(f.ref.id)) direct.push(f.ref);
    else if (ctx.kind === 'group') viaGroup.push(f.ref);
  }
  if (!direct.length && !viaGroup.length) return;

  const writable = !!ctx.input.usageLocationWritable;
  const tenantCode = countryCode(ctx.input.tenant.countryLetterCode) ?? null;

  // The fix asked for: set on whom it names (everyone missing one when it names nobody).
  const asked = ctx.input.spec.setUsageLocation;
  const country = asked && typeof asked === 'object' ? countryCode(asked.country) : undefined;
  if (country && writable && ctx.change.assignments.length) {
    const only = Array.isArray(asked!.userIds) ? new Set(asked!.userIds.map((id) => String(id).toLowerCase())) : undefined;
    const chosen = (p: PrincipalRef) => !only || only.has(p.id.toLowerCase()) || (!!p.userPrincipalName && only.has(p.userPrincipalName.toLowerCase()));
    const users = [...direct, ...viaGroup].filter(chosen);
    if (users.length) {
      ctx.change.setUsageLocation = { country, users };
      ctx.add('USAGE_LOCATION_SET', 'info', users, { count: users.length, country, countryName: countryName(country) });
      direct = direct.filter((p) => !chosen(p));
      viaGroup = viaGroup.filter((p) => !chosen(p));
    }
  }

  // What the card and the CLI can offer for the rest: the fix, or the permission it needs.
  const offer = writable ? { fix: { country: tenantCode, countryName: tenantCode ? countryName(tenantCode) : null } } : { fixNeeds: USAGE_LOCATION_PERMISSION };
  if (direct.length) {
    ctx.add('USAGE_LOCATION_MISSING', 'block', direct, { count: direct.length, direct: true, ...offer });
  }
  if (!viaGroup.length) return;
  if (tenantCode) {
    ctx.add('USAGE_LOCATION_MISSING', 'info', viaGroup, { count: viaGroup.length, defaultCountry: tenantCode, defaultCountryName: countryName(tenantCode), ...offer });
  } else {
    ctx.add('USAGE_LOCATION_MISSING', 'warn', viaGroup, { count: viaGroup.length, defaultCountry: null, ...offer });
  }
}
