// /users/{id}/teamwork/installedApps in the sandbox: the Teams apps installed for a person.
//   POST  { "teamsApp@odata.bind": ".../appCatalogs/teamsApps/{appId}" } -> 201, no body;
//         409 when that app is already installed for them; 400 for a body Graph would refuse
//   GET   -> { value: [{ id, teamsApp: { id } }] }
// Without TeamsAppInstallation.ReadWriteSelfForUser.All (fixture app.roles) the router has already
// answered 403 Authorization_RequestDenied, as Graph does. Installing sends no Teams event: the
// test harness delivers Teams' installation event itself.
import { isGuid } from './ids';
import { errors, GraphError } from './graph-errors';
import type { Tenant, UserRec } from './tenant';

const installed = new WeakMap<Tenant, Map<string, Set<string>>>();

function appsOf(tenant: Tenant, user: UserRec): Set<string> {
  let byUser = installed.get(tenant);
  if (!byUser) installed.set(tenant, (byUser = new Map()));
  let apps = byUser.get(user.id);
  if (!apps) byUser.set(user.id, (apps = new Set()));
  return apps;
}

/** The app ids installed for `user` (for tests and the sandbox's own checks). */
export function installedAppIds(tenant: Tenant, user: UserRec): string[] {
  return [...appsOf(tenant, user)];
}

export function installedAppsRoute(tenant: Tenant, user: UserRec, req: { method: string; body?: unknown; malformed?: boolean }, ctx: string): { status: number; body?: unknown } {
  const apps = appsOf(tenant, user);
  const m = req.method.toUpperCase();
  if (m === 'GET') {
    return {
      status: 200,
      body: {
        '@odata.context': `${ctx}users('${user.id}')/teamwork/installedApps`,
        value: [...apps].map((appId) => ({ id: Buffer.from(`${user.id}##${appId}`).toString('base64'), teamsApp: { id: appId } })),
      },
    };
  }
  if (m !== 'POST') throw errors.methodNotAllowed();
  if (req.malformed) throw errors.malformedJson();
  const bind = (req.body as Record<string, unknown> | undefined)?.['teamsApp@odata.bind'];
  const appId = typeof bind === 'string' ? /\/appCatalogs\/teamsApps\/([^/?#]+)$/i.exec(bind)?.[1] : undefined;
  if (!appId) throw errors.invalidBody("'teamsApp@odata.bind' is required: https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}.");
  const id = decodeURIComponent(appId).toLowerCase();
  if (!isGuid(id)) throw errors.notFound(id);
  if (apps.has(id)) throw new GraphError(409, 'Conflict', 'App is already installed.');
  apps.add(id);
  return { status: 201 };
}
