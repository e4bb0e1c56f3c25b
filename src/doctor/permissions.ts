// The application permissions docs/deploy.md asks for, and how a token's `roles` claim measures up.
// A spec checks this list against the table in docs/deploy.md, so the two cannot drift apart.
import type { Feature, Need, PermissionCheck } from './model';

export interface AskedPermission {
  permission: string;
  need: Need;
  feature: Feature;
  /** Higher privileged permissions Microsoft documents as also allowing the same calls. */
  alsoBy: string[];
}

export const ASKED_PERMISSIONS: readonly AskedPermission[] = [
  { permission: 'LicenseAssignment.ReadWrite.All', need: 'required', feature: 'assign', alsoBy: ['Directory.ReadWrite.All'] },
  { permission: 'User.Read.All', need: 'required', feature: 'readUsers', alsoBy: ['User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  {
    permission: 'GroupMember.Read.All',
    need: 'required',
    feature: 'readGroups',
    alsoBy: ['Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  },
  { permission: 'Organization.Read.All', need: 'required', feature: 'readOrganization', alsoBy: ['Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  {
    permission: 'LicenseAssignment.Read.All',
    need: 'optional',
    feature: 'readPlans',
    alsoBy: ['Organization.Read.All', 'LicenseAssignment.ReadWrite.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  },
  { permission: 'User.ReadWrite.All', need: 'optional', feature: 'setUsageLocation', alsoBy: ['Directory.ReadWrite.All'] },
  { permission: 'TeamsAppInstallation.ReadWriteSelfForUser.All', need: 'optional', feature: 'installForApprovers', alsoBy: ['TeamsAppInstallation.ReadWriteForUser.All'] },
];

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Each asked permission: granted itself, granted through a higher one, or missing. */
export function checkRoles(roles: readonly string[], asked: readonly AskedPermission[] = ASKED_PERMISSIONS): PermissionCheck[] {
  return asked.map((a) => {
    if (roles.some((r) => same(r, a.permission))) return { permission: a.permission, need: a.need, feature: a.feature, granted: true };
    const via = a.alsoBy.find((h) => roles.some((r) => same(r, h)));
    const viaAsked = !!via && asked.some((x) => same(x.permission, via) && roles.some((r) => same(r, via)));
    return { permission: a.permission, need: a.need, feature: a.feature, granted: !!via, ...(via ? { via } : {}), ...(viaAsked ? { viaAsked } : {}) };
  });
}

/** Roles in the token that none of the asked permissions names (more than Plan Switch needs). */
export function extraRoles(roles: readonly string[], asked: readonly AskedPermission[] = ASKED_PERMISSIONS): string[] {
  return roles.filter((r) => !asked.some((a) => same(a.permission, r)));
}

/** May an app with these roles set users' usage locations (User.ReadWrite.All, or a higher permission)? */
export function mayWriteUsageLocation(roles: readonly string[]): boolean {
  return checkRoles(roles).some((p) => p.feature === 'setUsageLocation' && p.granted);
}
