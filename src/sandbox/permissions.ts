// Application permissions in the sandbox (fixture `app.roles`): which permission each Graph route
// needs, the 403 Graph answers without it, and the app-only token whose `roles` claim lists what the
// fixture grants. Absent `app.roles` = every permission granted, so old fixtures behave as before.
//
// Each route lists the permissions Microsoft's v1.0 reference accepts for an application, least
// privileged first (../shared/notes/graph-real.md); holding any one of them lets the call through.
import { GraphError } from './graph-errors';

/** What a tenant-like object must offer: the roles granted to the app (null = all of them). */
export interface AppGrant {
  app: { readonly id: string; readonly roles: readonly string[] | null };
}

/** True when the app holds `role`, or any one of `role` when given a list. */
export function hasRole(tenant: AppGrant, role: string | readonly string[]): boolean {
  const granted = tenant.app.roles;
  if (granted === null) return true;
  const wanted = typeof role === 'string' ? [role] : role;
  return wanted.some((r) => granted.some((g) => g.toLowerCase() === r.toLowerCase()));
}

const READ_USERS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const READ_GROUPS = ['GroupMember.Read.All', 'Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const READ_ORG = ['Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const READ_SKUS = [
  'LicenseAssignment.Read.All',
  'Organization.Read.All',
  'LicenseAssignment.ReadWrite.All',
  'Organization.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const ASSIGN_USER = ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];
const ASSIGN_GROUP = ['LicenseAssignment.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const WRITE_USERS = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];
/**
 * reprocessLicenseAssignment: Microsoft's v1.0 page lists User.ReadWrite.All (least) and
 * Directory.ReadWrite.All for applications; LicenseAssignment.ReadWrite.All is not among them.
 */
const REPROCESS_USER = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];
const WRITE_GROUPS = ['Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const WRITE_MEMBERS = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const TEAMS_APPS_READ = ['TeamsAppInstallation.ReadWriteSelfForUser.All', 'TeamsAppInstallation.ReadForUser.All', 'TeamsAppInstallation.ReadWriteForUser.All'];
const TEAMS_APPS_WRITE = ['TeamsAppInstallation.ReadWriteSelfForUser.All', 'TeamsAppInstallation.ReadWriteForUser.All'];

/**
 * Every permission the sandbox hands out when the fixture leaves `app.roles` out: the ones
 * docs/deploy.md asks for, required and optional.
 */
export const ALL_GRANTED_ROLES: readonly string[] = [
  'LicenseAssignment.ReadWrite.All',
  'User.Read.All',
  'GroupMember.Read.All',
  'Organization.Read.All',
  'User.ReadWrite.All',
  'TeamsAppInstallation.ReadWriteSelfForUser.All',
];

/**
 * The permissions (any one of them) a Graph call needs, least privileged first; undefined for a
 * path the table does not know (the router then answers it, usually "no such resource").
 * `segments` are the decoded path segments below the version, `$count` already removed.
 */
export function rolesFor(method: string, segments: readonly string[]): readonly string[] | undefined {
  const m = method.toUpperCase();
  const s = segments.map((x) => x.toLowerCase());
  const read = m === 'GET';
  switch (s[0]) {
    case 'organization':
      return READ_ORG;
    case 'subscribedskus':
      return READ_SKUS;
    case 'users': {
      if (s.length <= 2) return m === 'PATCH' ? WRITE_USERS : READ_USERS;
      if (s[2] === 'assignlicense') return ASSIGN_USER;
      if (s[2] === 'reprocesslicenseassignment') return REPROCESS_USER;
      if (s[2] === 'memberof') return READ_GROUPS;
      if (s[2] === 'teamwork') return read ? TEAMS_APPS_READ : TEAMS_APPS_WRITE;
      return undefined;
    }
    case 'groups': {
      if (s.length === 2 && m === 'DELETE') return WRITE_GROUPS;
      if (s.length <= 2) return m === 'PATCH' ? WRITE_GROUPS : READ_GROUPS;
      if (s[2] === 'assignlicense') return ASSIGN_GROUP;
      if (s[2] === 'members' && !read) return WRITE_MEMBERS;
      if (s[2] === 'members' || s[2] === 'memberswithlicenseerrors') return READ_GROUPS;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Graph's answer to a call the app has no permission for. */
export function insufficientPrivileges(): GraphError {
  return new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

/** The 403 for a call whose permission the fixture did not grant; undefined when it may go on. */
export function permissionDenied(tenant: AppGrant, method: string, segments: readonly string[]): GraphError | undefined {
  if (tenant.app.roles === null) return undefined;
  const needed = rolesFor(method, segments);
  return needed && !hasRole(tenant, needed) ? insufficientPrivileges() : undefined;
}

/** The roles a token for this app carries: the fixture's list, or every one when it gave none. */
export function grantedRoles(tenant: AppGrant): string[] {
  return [...(tenant.app.roles ?? ALL_GRANTED_ROLES)];
}

/**
 * An app-only access token shaped like Entra's v1 tokens for Graph (aud, iss, tid, appid, idtyp,
 * roles), unsigned (`alg: none`): the sandbox checks no signature, and doctor only decodes it.
 * Entra leaves `roles` out when nothing is granted, and so does this.
 */
export function sandboxAccessToken(tenant: AppGrant & { id: string }, now = Date.now(), lifetimeSeconds = 3600): string {
  const iat = Math.floor(now / 1000);
  const roles = grantedRoles(tenant);
  const claims: Record<string, unknown> = {
    aud: 'https://graph.microsoft.com',
    iss: `https://sts.windows.net/${tenant.id}/`,
    iat,
    nbf: iat,
    exp: iat + lifetimeSeconds,
    app_displayname: 'Plan Switch (sandbox)',
    appid: tenant.app.id,
    appidacr: '1',
    idtyp: 'app',
    tid: tenant.id,
    ver: '1.0',
    ...(roles.length ? { roles } : {}),
  };
  const part = (o: unknown) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64url');
  return `${part({ typ: 'JWT', alg: 'none' })}.${part(claims)}.`;
}
