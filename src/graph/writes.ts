// License writes: assignLicense on a user, a group, or many users through $batch; reprocessLicenseAssignment.
//
// A 429, 5xx, timeout or network error may hide a write that went through. Before any second
// attempt the principal is re-read (after the Retry-After Graph asked for); when it already holds
// what the write adds and no longer holds what it removes, the write counts as done and is not
// sent again. A write whose fate cannot be read back is reported "Unconfirmed", never resent.
import { batchRead, chunk, mapLimit, sendBatch, type BatchResponse } from './batch';
import { retryDelay } from './client';
import { batchError, GraphError, toGraphError } from './errors';
import type { GraphHttp } from './http';
import { getGroup } from './groups';
import { groupPath, userPath } from './paths';
import type { AssignLicenseBody, GraphAssignedLicense, GraphLicenseAssignmentState } from './types';
import { getUser, getUsers } from './users';

/** What a write needs re-read to know whether it went through. */
const VERIFY_USER_SELECT = 'id,assignedLicenses,licenseAssignmentStates';

/** Outcome of one assignLicense call after retries. */
export type WriteOutcome =
  | { id: string; ok: true; /** true when a transient failure hid the write and a re-read showed it applied. */ verified: boolean; attempts: number }
  | { id: string; ok: false; error: GraphError; attempts: number };

/**
 * Did `body` take effect on a principal? Everything it adds is held (directly, for users: from
 * licenseAssignmentStates with assignedByGroup null) and nothing it removes is held directly.
 */
export function writeApplied(held: { assignedLicenses: GraphAssignedLicense[]; licenseAssignmentStates?: GraphLicenseAssignmentState[] }, body: AssignLicenseBody): boolean {
  const states = held.licenseAssignmentStates;
  const direct =
    states && states.length
      ? new Set(states.filter((s) => !s.assignedByGroup).map((s) => s.skuId.toLowerCase()))
      : new Set(held.assignedLicenses.map((l) => l.skuId.toLowerCase()));
  return body.addLicenses.every((a) => direct.has(a.skuId.toLowerCase())) && body.removeLicenses.every((r) => !direct.has(r.toLowerCase()));
}

/** A write whose fate could not be read back: reported, never retried blindly. */
function unconfirmed(writeError: GraphError, readError: unknown): GraphError {
  const r = toGraphError(readError);
  return new GraphError(
    writeError.status,
    'Unconfirmed',
    `The change was sent but Graph answered ${writeError.status || 'nothing'} (${writeError.code}), and re-reading to check it failed too (${r.code}): it may or may not have been applied. Check the licenses before trying again.`,
  );
}

/**
 * POST /users/{id}/assignLicense. A 4xx refusal comes back as { ok: false }. After a 429, 5xx,
 * timeout or network error the user is re-read: if the change is already there it counts as
 * done (verified), otherwise it is sent again after Retry-After.
 */
export function assignUserLicense(http: GraphHttp, userId: string, body: AssignLicenseBody): Promise<WriteOutcome> {
  const path = `${userPath(userId)}/assignLicense`;
  return writeWithVerify(
    http,
    userId,
    () => http.post(path, body),
    async () => {
      const u = await getUser(http, userId, VERIFY_USER_SELECT);
      return u !== null && writeApplied(u, body);
    },
  );
}

/** POST /groups/{id}/assignLicense (202: Entra processes the members afterwards). Same re-read rule, on the group's assignedLicenses. */
export function assignGroupLicense(http: GraphHttp, groupId: string, body: AssignLicenseBody): Promise<WriteOutcome> {
  const path = `${groupPath(groupId)}/assignLicense`;
  return writeWithVerify(
    http,
    groupId,
    () => http.post(path, body),
    async () => {
      const g = await getGroup(http, groupId, 'id,assignedLicenses');
      return g !== null && writeApplied({ assignedLicenses: g.assignedLicenses }, body);
    },
  );
}

async function writeWithVerify(http: GraphHttp, id: string, send: () => Promise<unknown>, applied: () => Promise<boolean>): Promise<WriteOutcome> {
  let attempt = 0;
  for (;;) {
    attempt++;
    let e: GraphError;
    try {
      await send();
      return { id, ok: true, verified: false, attempts: attempt };
    } catch (err) {
      e = toGraphError(err);
    }
    if (!e.transient || attempt >= http.maxAttempts) {
      // A refusal of a second attempt may mean an earlier one went through after all (a stale
      // re-read): look once more before calling it a failure.
      if (attempt > 1 && (await applied().catch(() => false))) return { id, ok: true, verified: true, attempts: attempt };
      return { id, ok: false, error: e, attempts: attempt };
    }
    if (e.status === 429) http.stats.throttled++;
    // Wait as told, then find out whether the write happened. Never send again without knowing.
    let wait = retryDelay(http.policy, attempt, e.retryAfterMs);
    let known: boolean | undefined;
    for (let check = 1; known === undefined; check++) {
      await http.policy.sleep(wait);
      try {
        known = await applied();
      } catch (readErr) {
        if (check >= http.maxAttempts) return { id, ok: false, error: unconfirmed(e, readErr), attempts: attempt };
        wait = retryDelay(http.policy, check, toGraphError(readErr).retryAfterMs);
      }
    }
    if (known) return { id, ok: true, verified: true, attempts: attempt };
    http.stats.retries++;
  }
}

/**
 * Many user assignLicense calls through $batch (20 per request, `batchConcurrency` in flight).
 * Items answered 429/5xx, or in a batch that failed as a whole, are uncertain: after the longest
 * Retry-After they are re-read (also through $batch) and only those not applied are sent again.
 * An item that cannot be re-read is never sent again; it ends as failed "Unconfirmed". No user is
 * written twice for one change.
 */
export async function assignUserLicenses(http: GraphHttp, items: { userId: string; body: AssignLicenseBody }[]): Promise<WriteOutcome[]> {
  type Item = { userId: string; body: AssignLicenseBody; url: string };
  type Uncertain = { item: Item; error: GraphError; until: number; final?: boolean };
  const results = new Map<string, WriteOutcome>();
  const attempts = new Map<string, number>();
  const fail = (it: Item, error: GraphError) => results.set(it.userId, { id: it.userId, ok: false, error, attempts: attempts.get(it.userId) ?? 0 });
  // Every key is checked before the first write goes out.
  let pending: Item[] = [...new Map(items.map((i) => [i.userId, { ...i, url: `${userPath(i.userId)}/assignLicense` }])).values()];
  let uncertain: Uncertain[] = [];
  for (let round = 1; pending.length || uncertain.length; round++) {
    const fresh: Uncertain[] = [];
    await mapLimit(chunk(pending, http.batchSize), http.concurrency, async (group) => {
      for (const it of group) attempts.set(it.userId, (attempts.get(it.userId) ?? 0) + 1);
      let responses: BatchResponse[];
      try {
        responses = await sendBatch(
          http,
          group.map((it) => ({ id: it.userId, method: 'POST', url: it.url, body: it.body })),
        );
      } catch (err) {
        const e = toGraphError(err);
        if (e.status === 429) http.stats.throttled++;
        for (const it of group) {
          if (e.transient) fresh.push({ item: it, error: e, until: Date.now() + retryDelay(http.policy, round, e.retryAfterMs) });
          else if (round > 1) fresh.push({ item: it, error: e, until: 0, final: true });
          else fail(it, e);
        }
        return;
      }
      const answered = new Map(responses.map((r) => [r.id, r]));
      for (const it of group) {
        const a = answered.get(it.userId);
        if (a && a.status >= 200 && a.status < 300) {
          results.set(it.userId, { id: it.userId, ok: true, verified: false, attempts: attempts.get(it.userId)! });
          continue;
        }
        const e = a ? batchError(a.status, a.body, a.headers) : new GraphError(0, 'NoAnswer', 'The batch returned no answer for this request.');
        if (e.status === 429) http.stats.throttled++;
        if (e.transient) fresh.push({ item: it, error: e, until: Date.now() + retryDelay(http.policy, round, e.retryAfterMs) });
        // A refusal of a second attempt may mean an earlier one went through after all: re-read, never resend.
        else if (round > 1) fresh.push({ item: it, error: e, until: 0, final: true });
        else fail(it, e);
      }
    });
    uncertain = [...uncertain, ...fresh];
    pending = [];
    if (!uncertain.length) break;
    const wait = Math.max(...uncertain.map((u) => u.until)) - Date.now();
    if (wait > 0) await http.policy.sleep(wait);
    // Re-read before any second write.
    let check: Awaited<ReturnType<typeof getUsers>> | undefined;
    let readError: unknown;
    try {
      check = await getUsers(
        http,
        uncertain.map((u) => u.item.userId),
        VERIFY_USER_SELECT,
      );
    } catch (err) {
      readError = err;
    }
    if (!check) {
      // Could not look: nothing is sent again; try to look again next round, or give up as unconfirmed.
      if (round >= http.maxAttempts) {
        for (const u of uncertain) fail(u.item, unconfirmed(u.error, readError));
        break;
      }
      await http.policy.sleep(retryDelay(http.policy, round, toGraphError(readError).retryAfterMs));
      uncertain = uncertain.map((u) => ({ ...u, until: 0 }));
      continue;
    }
    for (const u of uncertain) {
      const id = u.item.userId;
      const now = check.byQuery.get(id);
      if (now && writeApplied(now, u.item.body)) results.set(id, { id, ok: true, verified: true, attempts: attempts.get(id)! });
      else if (!now) fail(u.item, new GraphError(404, 'Request_ResourceNotFound', 'The user no longer exists.'));
      else if (u.final || round >= http.maxAttempts) fail(u.item, u.error);
      else pending.push(u.item);
    }
    uncertain = [];
    http.stats.retries += pending.length;
  }
  return items.map((i) => results.get(i.userId)!);
}

// ---------------------------------------------------------------------------------------------
// Usage location (issue 13 part 6): PATCH /users/{id} { usageLocation }, needs User.ReadWrite.All.
//
// Unlike assignLicense this write is idempotent (it sets a value, it adds nothing): sending it
// again after a 429/5xx that may have hidden it changes nothing more, so a transient failure is
// retried after Retry-After without a re-read. The caller reads the users back afterwards (a read
// right after the write may come from a replica that has not seen it).

/** PATCH one user's usageLocation; a refusal (403 without the permission, 400 for a bad code) comes back as { ok: false }. */
export async function setUserUsageLocation(http: GraphHttp, userId: string, country: string): Promise<WriteOutcome> {
  const path = userPath(userId);
  for (let attempt = 1; ; attempt++) {
    try {
      await http.patch(path, { usageLocation: country });
      return { id: userId, ok: true, verified: false, attempts: attempt };
    } catch (err) {
      const e = toGraphError(err);
      if (!e.transient || attempt >= http.maxAttempts) return { id: userId, ok: false, error: e, attempts: attempt };
      if (e.status === 429) http.stats.throttled++;
      http.stats.retries++;
      await http.policy.sleep(retryDelay(http.policy, attempt, e.retryAfterMs));
    }
  }
}

/** The same for many users through $batch (20 per request); throttled or failed items are sent again on their own. */
export async function setUsageLocations(http: GraphHttp, userIds: string[], country: string): Promise<WriteOutcome[]> {
  const unique = [...new Set(userIds)];
  if (unique.length === 1) {
    const one = await setUserUsageLocation(http, unique[0]!, country);
    return userIds.map(() => one);
  }
  // Every key is checked before the first write goes out.
  const urls = new Map(unique.map((id) => [id, userPath(id)]));
  const results = new Map<string, WriteOutcome>();
  const attempts = new Map<string, number>();
  await mapLimit(chunk(unique, http.batchSize), http.concurrency, async (group) => {
    let pending = group;
    for (let round = 1; pending.length; round++) {
      for (const id of pending) attempts.set(id, round);
      let responses: BatchResponse[];
      let again: string[] = [];
      let waitMs = 0;
      try {
        responses = await sendBatch(
          http,
          pending.map((id) => ({ id, method: 'PATCH', url: urls.get(id)!, body: { usageLocation: country } })),
        );
      } catch (err) {
        const e = toGraphError(err);
        if (!e.transient || round >= http.maxAttempts) {
          for (const id of pending) results.set(id, { id, ok: false, error: e, attempts: round });
          return;
        }
        if (e.status === 429) http.stats.throttled++;
        http.stats.retries += pending.length;
        await http.policy.sleep(retryDelay(http.policy, round, e.retryAfterMs));
        continue;
      }
      const answered = new Map(responses.map((r) => [r.id, r]));
      for (const id of pending) {
        const a = answered.get(id);
        if (a && a.status >= 200 && a.status < 300) {
          results.set(id, { id, ok: true, verified: false, attempts: round });
          continue;
        }
        const e = a ? batchError(a.status, a.body, a.headers) : new GraphError(0, 'NoAnswer', 'The batch returned no answer for this request.');
        if (e.transient && round < http.maxAttempts) {
          if (e.status === 429) http.stats.throttled++;
          waitMs = Math.max(waitMs, retryDelay(http.policy, round, e.retryAfterMs));
          again.push(id);
        } else results.set(id, { id, ok: false, error: e, attempts: round });
      }
      if (again.length) {
        http.stats.retries += again.length;
        await http.policy.sleep(waitMs);
      }
      pending = again;
      again = [];
    }
  });
  return userIds.map((id) => results.get(id) ?? { id, ok: false, error: new GraphError(0, 'NoAnswer', 'No answer for this user.'), attempts: attempts.get(id) ?? 0 });
}

/** Outcome of one reprocessLicenseAssignment. */
export type ReprocessOutcome = { id: string; ok: true } | { id: string; ok: false; error: GraphError };

/**
 * POST /users/{id}/reprocessLicenseAssignment for each user (no request body; 200 with the user):
 * Entra evaluates the user's group-based licenses again, after the cause of an error was fixed.
 * One user is one POST; more go through $batch (20 per request, `batchConcurrency` in flight).
 * A reprocess assigns nothing of its own, so sending it twice is harmless: a throttled or failed
 * item (429/5xx) is sent again after its Retry-After, as a read would be. A refusal (403 without
 * User.ReadWrite.All, 404 for a user that is gone) is that user's outcome.
 */
export async function reprocessUsers(http: GraphHttp, userIds: string[]): Promise<ReprocessOutcome[]> {
  const byId = new Map<string, ReprocessOutcome>();
  // A key that cannot be a path segment is that user's refusal; nothing is sent for it.
  const ids = [...new Map(userIds.map((id) => [id.toLowerCase(), id])).values()].filter((id) => {
    try {
      userPath(id);
      return true;
    } catch (err) {
      byId.set(id.toLowerCase(), { id, ok: false, error: toGraphError(err) });
      return false;
    }
  });
  if (ids.length === 1) {
    const id = ids[0]!;
    for (let attempt = 1; ; attempt++) {
      try {
        await http.post(`${userPath(id)}/reprocessLicenseAssignment`, undefined);
        byId.set(id.toLowerCase(), { id, ok: true });
        break;
      } catch (err) {
        const e = toGraphError(err);
        if (!e.transient || attempt >= http.maxAttempts) {
          byId.set(id.toLowerCase(), { id, ok: false, error: e });
          break;
        }
        if (e.status === 429) http.stats.throttled++;
        http.stats.retries++;
        await http.policy.sleep(retryDelay(http.policy, attempt, e.retryAfterMs));
      }
    }
  } else if (ids.length > 1) {
    const answers = await batchRead(
      http,
      ids.map((id) => ({ id, method: 'POST' as const, url: `${userPath(id)}/reprocessLicenseAssignment` })),
    );
    for (const id of ids) {
      const a = answers.get(id);
      if (a && a.status >= 200 && a.status < 300) byId.set(id.toLowerCase(), { id, ok: true });
      else
        byId.set(id.toLowerCase(), {
          id,
          ok: false,
          error: a ? batchError(a.status, a.body, a.headers) : new GraphError(0, 'NoAnswer', 'The batch returned no answer for this request.'),
        });
    }
  }
  return userIds.map((id) => ({ ...byId.get(id.toLowerCase())!, id }));
}
