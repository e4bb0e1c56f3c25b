// GraphGateway: the only code in Plan Switch that calls Microsoft Graph, as one object for the
// license service. Each method is one small module that says what it reads or writes:
//   http.ts     GET / POST / every page of a collection (the client's ReadRetryHandler retries
//               reads on 429/5xx with Retry-After)
//   batch.ts    $batch: 20 per request, a few in flight, throttled items retried on their own
//   paths.ts    user and group keys made into path segments (".", "..", "/" refused)
//   normalize.ts  Graph JSON -> GraphUser / GraphGroup, and the check that every selected
//               property came back
//   skus.ts     organization and subscribedSkus
//   users.ts    users by id / UPN, many through $batch, prefix search
//   groups.ts   groups by id / name, processing state, names by id
//   members.ts  group members through the documented casts (users, nested groups)
//   writes.ts   assignLicense (user, group, many users) with read-back before any second attempt;
//               usageLocation (PATCH /users/{id}, one or many through $batch)
//               reprocessLicenseAssignment for many users through $batch
import type { Client } from '@microsoft/microsoft-graph-client';
import { batchRead, type BatchRequest, type BatchResponse } from './batch';
import type { GraphStats } from './client';
import * as groups from './groups';
import { GraphHttp, type GatewayOptions, type ListOptions } from './http';
import * as members from './members';
import * as skus from './skus';
import type { AssignLicenseBody, GraphGroup, GraphOrganization, GraphSubscribedSku, GraphUser } from './types';
import * as users from './users';
import * as writes from './writes';

export { BATCH_LIMIT, PAGE_SIZE, peekNextLink, type GatewayOptions } from './http';
export { mapLimit, type BatchRequest, type BatchResponse } from './batch';
export { MISSING_PROPERTY, normalizeGroup, normalizeUser } from './normalize';
export { UNSAFE_KEY, UnsafeKeyError } from './paths';
export { GROUP_SELECT } from './groups';
export { USER_SELECT } from './users';
export type { DirectoryObjectRef, GroupMembers, MemberReadOptions } from './members';
export { writeApplied, type ReprocessOutcome, type WriteOutcome } from './writes';

export class GraphGateway {
  private readonly http: GraphHttp;

  /**
   * @param client a Graph client from createGraphClient (its ReadRetryHandler retries reads)
   * @param host the client's host root (to turn @odata.nextLink back into a path), e.g. http://127.0.0.1:3979/
   */
  constructor(client: Client, host: string, opts: GatewayOptions = {}) {
    this.http = new GraphHttp(client, host, opts);
  }

  get stats(): GraphStats {
    return this.http.stats;
  }

  // plumbing, for callers that read a collection the gateway has no method for
  relativeLink(link: string): string {
    return this.http.relativeLink(link);
  }
  getAll<T>(path: string, opts?: ListOptions<T>): Promise<{ items: T[]; pages: number }> {
    return this.http.getAll<T>(path, opts);
  }
  batchRead(requests: BatchRequest[]): Promise<Map<string, BatchResponse>> {
    return batchRead(this.http, requests);
  }

  // tenant
  organization(): Promise<GraphOrganization> {
    return skus.organization(this.http);
  }
  subscribedSkus(): Promise<GraphSubscribedSku[]> {
    return skus.subscribedSkus(this.http);
  }

  // users
  getUser(idOrUpn: string, select?: string): Promise<GraphUser | null> {
    return users.getUser(this.http, idOrUpn, select);
  }
  getUsers(idsOrUpns: string[], select?: string): Promise<{ users: GraphUser[]; notFound: string[]; byQuery: Map<string, GraphUser> }> {
    return users.getUsers(this.http, idsOrUpns, select);
  }
  searchUsers(prefix: string, top?: number): Promise<GraphUser[]> {
    return users.searchUsers(this.http, prefix, top);
  }

  // groups
  getGroup(id: string, select?: string): Promise<GraphGroup | null> {
    return groups.getGroup(this.http, id, select);
  }
  findGroups(name: string, match?: 'exact' | 'prefix', top?: number): Promise<GraphGroup[]> {
    return groups.findGroups(this.http, name, match, top);
  }
  groupProcessingState(id: string): Promise<string | null> {
    return groups.groupProcessingState(this.http, id);
  }
  groupNames(ids: string[]): Promise<Record<string, string>> {
    return groups.groupNames(this.http, ids);
  }

  // members
  listGroupMembers(groupId: string, opts?: members.MemberReadOptions): Promise<members.GroupMembers> {
    return members.listGroupMembers(this.http, groupId, opts);
  }
  memberCount(groupId: string): Promise<number> {
    return members.memberCount(this.http, groupId);
  }
  listGroupUserMembers(groupId: string, select?: string): Promise<GraphUser[]> {
    return members.listGroupUserMembers(this.http, groupId, select);
  }
  listNestedGroups(groupId: string): Promise<members.DirectoryObjectRef[]> {
    return members.listNestedGroups(this.http, groupId);
  }
  membersWithLicenseErrors(groupId: string, select?: string): Promise<GraphUser[]> {
    return members.membersWithLicenseErrors(this.http, groupId, select);
  }

  // writes
  assignUserLicense(userId: string, body: AssignLicenseBody): Promise<writes.WriteOutcome> {
    return writes.assignUserLicense(this.http, userId, body);
  }
  assignGroupLicense(groupId: string, body: AssignLicenseBody): Promise<writes.WriteOutcome> {
    return writes.assignGroupLicense(this.http, groupId, body);
  }
  assignUserLicenses(items: { userId: string; body: AssignLicenseBody }[]): Promise<writes.WriteOutcome[]> {
    return writes.assignUserLicenses(this.http, items);
  }
  /** PATCH /users/{id} { usageLocation } for each user (one, or many through $batch); one outcome per id, in order. */
  setUsageLocations(userIds: string[], country: string): Promise<writes.WriteOutcome[]> {
    return writes.setUsageLocations(this.http, userIds, country);
  }
  /** Entra evaluates each user's group-based licenses again (after seats were added, a usage location set). */
  reprocessUsers(userIds: string[]): Promise<writes.ReprocessOutcome[]> {
    return writes.reprocessUsers(this.http, userIds);
  }
}
