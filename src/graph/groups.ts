// Group reads: one group by id, groups by display name, the processing state alone (the cheap poll
// while Entra processes a group change), and names of groups by id through $batch.
import { batchRead } from './batch';
import { batchError } from './errors';
import type { GraphHttp, Page } from './http';
import { getSelected, normalizeGroup, requireFields, selectedFields } from './normalize';
import { enc, groupPath, literal } from './paths';
import type { GraphGroup } from './types';

export const GROUP_SELECT = 'id,displayName,securityEnabled,groupTypes,membershipRule,onPremisesSyncEnabled,assignedLicenses,licenseProcessingState';

/** A group by object id; null when Graph says 404. */
export async function getGroup(http: GraphHttp, id: string, select = GROUP_SELECT): Promise<GraphGroup | null> {
  const raw = await getSelected(http, `${groupPath(id)}?$select=${select}`, select, 'group');
  return raw && normalizeGroup(raw);
}

/** Groups named exactly `name` (Graph's eq is case-insensitive) or starting with it. */
export async function findGroups(http: GraphHttp, name: string, match: 'exact' | 'prefix' = 'exact', top = 25): Promise<GraphGroup[]> {
  const filter = match === 'exact' ? `displayName eq ${literal(name)}` : `${enc('startswith(displayName,')}${literal(name)})`;
  const t = Math.min(999, Math.max(1, top));
  const path = `/groups?$filter=${filter.replace(/ /g, '%20')}&$select=${GROUP_SELECT}&$top=${t}`;
  // Every group of that exact name (there may be several); for a prefix, the first page only.
  const items = match === 'exact' ? (await http.getAll<Record<string, unknown>>(path)).items : ((await http.get<Page<Record<string, unknown>>>(path))?.value ?? []);
  const fields = selectedFields(GROUP_SELECT);
  for (const raw of items) requireFields(raw, fields, 'group', '/groups');
  return items.map((raw) => normalizeGroup(raw)).slice(0, match === 'exact' ? items.length : t);
}

/** Only the processing state (the cheap poll while a group change is processed). */
export async function groupProcessingState(http: GraphHttp, id: string): Promise<string | null> {
  const path = `${groupPath(id)}?$select=id,licenseProcessingState`;
  const g = await http.get<Record<string, unknown>>(path);
  requireFields(g, ['licenseProcessingState'], 'group', path);
  return (g.licenseProcessingState as { state?: string } | null)?.state ?? null;
}

/** Display names of groups by id, through $batch; ids Graph does not know are left out. */
export async function groupNames(http: GraphHttp, ids: string[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
  if (!unique.length) return {};
  const answers = await batchRead(
    http,
    unique.map((id) => ({ id, method: 'GET', url: `${groupPath(id)}?$select=id,displayName` })),
  );
  const out: Record<string, string> = {};
  for (const id of unique) {
    const a = answers.get(id)!;
    if (a.status >= 200 && a.status < 300) out[id] = String((a.body as { displayName?: string }).displayName ?? id);
    else if (a.status !== 404) throw batchError(a.status, a.body, a.headers);
  }
  return out;
}
