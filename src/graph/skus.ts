// Tenant reads: the organization (id, name, default usage location) and the subscribed SKUs.
import { GraphError } from './errors';
import type { GraphHttp, Page } from './http';
import type { GraphOrganization, GraphSubscribedSku } from './types';

export async function organization(http: GraphHttp): Promise<GraphOrganization> {
  const page = await http.get<Page<GraphOrganization>>('/organization?$select=id,displayName,countryLetterCode');
  const org = page.value?.[0];
  if (!org) throw new GraphError(404, 'Request_ResourceNotFound', 'Graph returned no organization for this tenant.');
  return { id: org.id, displayName: org.displayName, countryLetterCode: org.countryLetterCode ?? null };
}

export async function subscribedSkus(http: GraphHttp): Promise<GraphSubscribedSku[]> {
  const { items } = await http.getAll<GraphSubscribedSku>('/subscribedSkus');
  return items;
}
