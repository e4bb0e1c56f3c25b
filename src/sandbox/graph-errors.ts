// Graph's error answers: `{ "error": { "code", "message", "innerError": { "date", "request-id",
// "client-request-id" } } }` with the status and, where Graph gives one, its wording (found in
// public scripts, issues and the Entra docs), so code that matches on messages behaves against the
// sandbox as against Graph.
import { randomUUID } from 'node:crypto';

export interface InnerError {
  date: string;
  'request-id': string;
  'client-request-id': string;
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** Graph's body; `clientRequestId` echoes the caller's client-request-id header (Graph makes one up when absent). */
  body(clientRequestId?: string): { error: { code: string; message: string; innerError: InnerError } } {
    return { error: { code: this.code, message: this.message, innerError: innerError(clientRequestId) } };
  }
}

/** Graph's innerError: the time (UTC, to the second, no zone), a fresh request-id, the client's request id. */
export function innerError(clientRequestId?: string): InnerError {
  return { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID(), 'client-request-id': clientRequestId || randomUUID() };
}

const bad = (message: string) => new GraphError(400, 'Request_BadRequest', message);

export const errors = {
  notFound: (id: string) => new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`),
  noRoute: (path: string) => new GraphError(400, 'BadRequest', `Resource not found for the segment '${path.split('?')[0].split('/').filter(Boolean).pop() ?? path}'.`),
  methodNotAllowed: () => new GraphError(405, 'Request_BadRequest', 'The requested method is not allowed for this resource.'),
  malformedJson: () => new GraphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'),
  invalidBody: (detail: string) => bad(`Invalid request body: ${detail}`),
  /** Graph's answer to a skuId or plan id that is not a GUID. */
  notAGuid: () => bad("Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details."),

  // assignLicense
  invalidSku: (skuId: string) => bad(`License ${skuId} does not correspond to a valid company License.`),
  planNotInSku: (planId: string, skuId: string) => bad(`Service plan ${planId} does not belong to license ${skuId}. Disabled plans must be service plans of the license.`),
  skuNotForUsers: (skuId: string) => bad(`License ${skuId} cannot be assigned to a user.`),
  addAndRemove: (skuId: string) => bad(`License ${skuId} cannot be added and removed in the same request.`),
  usageLocation: () => bad('License assignment cannot be done for user with invalid usage location.'),
  noSeats: (skuId: string) => bad(`Subscription with SKU ${skuId} does not have any available licenses.`),
  mutuallyExclusive: (planIds: string[]) => bad(`License assignment failed because service plans ${planIds.join(',')} are mutually exclusive.`),
  dependency: (planId: string, requiredIds: string[]) => bad(`License assignment failed because service plan ${planId} depends on the service plan(s) ${requiredIds.join(',')}.`),
  inherited: () => bad('User license is inherited from a group membership and it cannot be removed directly from the user.'),
  userLacksLicense: () => bad('User does not have a corresponding license.'),
  groupLacksLicense: () => bad('Group does not have a corresponding license.'),
  groupNotSecurity: () => bad('Licenses can only be assigned to security-enabled groups.'),

  // PATCH /users/{id}
  invalidPropertyValue: (prop: string) => bad(`Invalid value specified for property '${prop}' of resource 'User'.`),
  readOnlyProperty: (prop: string) => bad(`Property '${prop}' is read-only and cannot be set.`),
  undeclaredProperty: (prop: string) => new GraphError(400, 'BadRequest', `Property '${prop}' does not exist as a declared property or extension property.`),
  notModelled: (prop: string) => new GraphError(400, 'BadRequest', `The sandbox tenant does not model writing the user property '${prop}' (docs/tenant-fixture.md).`),

  // OData
  pageSize: (raw: string) => new GraphError(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`),
  searchNeedsConsistency: () =>
    new GraphError(400, 'Request_UnsupportedQuery', "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'"),
  countNeedsConsistency: () => new GraphError(400, 'Request_BadRequest', '$count is not currently supported.'),
  filterSyntax: (detail: string) => new GraphError(400, 'BadRequest', `Invalid filter clause: ${detail}`),
  filterUnsupported: (prop: string, resource: string) =>
    new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${prop}' of resource '${resource}'.`),
  searchSyntax: (detail: string) => new GraphError(400, 'Request_UnsupportedQuery', `Syntax error: ${detail}`),
  searchProperty: (prop: string) => new GraphError(400, 'Request_UnsupportedQuery', `Unsupported property '${prop}' in $search.`),
  selectUnknown: (prop: string, type: string) => new GraphError(400, 'BadRequest', `Could not find a property named '${prop}' on type 'microsoft.graph.${type}'.`),
  unsupportedQuery: (what: string) => new GraphError(400, 'Request_UnsupportedQuery', `Unsupported Query. ${what}`.trim()),
  badSkipToken: () => new GraphError(400, 'Request_BadRequest', 'The specified page token value has expired and can no longer be included in your request.'),

  // $batch
  batchTooLarge: () => new GraphError(400, 'BadRequest', 'Number of requests inside batch exceeds the limit of 20.'),
  /** A $batch item url with the version in it ("/v1.0/users"): Graph reads "v1.0" as a resource. */
  segmentNotFound: (segment: string) => new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  batchInvalid: (detail: string) => new GraphError(400, 'BadRequest', `Invalid batch payload format. ${detail}`),

  // Faults injected by tests
  throttled: (retryAfterSeconds: number) =>
    new GraphError(429, 'TooManyRequests', 'Too many requests. Please retry after the time given in the Retry-After header.', { 'Retry-After': String(retryAfterSeconds) }),
  serverError: (status: number, retryAfterSeconds?: number) =>
    new GraphError(
      status,
      status === 503 ? 'ServiceNotAvailable' : 'InternalServerError',
      status === 503 ? 'The service is temporarily unavailable. Please retry.' : 'An internal server error occurred.',
      retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : {},
    ),
};
