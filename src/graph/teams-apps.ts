// Installing the Teams app for a person (Graph POST /users/{id}/teamwork/installedApps), so the bot
// can message an approver who never opened it. Needs the application permission
// TeamsAppInstallation.ReadWriteSelfForUser.All and the app's id in the organisation's catalog.
// Teams then sends the bot the installation event of the person's chat, with its reference.
import type { Client } from '@microsoft/microsoft-graph-client';
import { toGraphError } from './errors';

/**
 *   installed   Graph accepted it (201): Teams' installation event follows
 *   already     the app is already installed for them (409): nothing to wait for from Graph
 *   denied      403: the permission is not granted (or the app is blocked for them by policy)
 *   unknown     404: no such user, or no such app in the catalog (TEAMS_APP_ID)
 *   failed      anything else (throttled past the retries, a server error, the network)
 */
export type AppInstallOutcome = 'installed' | 'already' | 'denied' | 'unknown' | 'failed';

export interface AppInstallResult {
  outcome: AppInstallOutcome;
  /** Graph's code and message when it refused. */
  graphCode?: string;
  message?: string;
}

export async function installAppForUser(client: Client, userId: string, teamsAppId: string): Promise<AppInstallResult> {
  const body = { 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${encodeURIComponent(teamsAppId)}` };
  try {
    await client.api(`/users/${encodeURIComponent(userId)}/teamwork/installedApps`).post(body);
    return { outcome: 'installed' };
  } catch (err) {
    const e = toGraphError(err);
    const outcome: AppInstallOutcome = e.status === 409 ? 'already' : e.status === 403 ? 'denied' : e.status === 404 ? 'unknown' : 'failed';
    return { outcome, ...(e.code ? { graphCode: e.code } : {}), message: e.message };
  }
}
