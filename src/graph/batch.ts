// JSON batching ($batch): up to 20 requests per POST, `batchConcurrency` POSTs in flight. Item urls
// are relative to the version ("/users/..."), as Graph requires; answers are matched by id, since
// Graph runs the items of a batch in any order.
import { batchError, isTransientStatus, toGraphError } from './errors';
import { retryDelay } from './client';
import type { GraphHttp } from './http';

export interface BatchRequest {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root: /users/{id}?$select=... */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}
export interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One POST /$batch. Throws GraphError when the envelope itself fails. */
export async function sendBatch(http: GraphHttp, requests: BatchRequest[]): Promise<BatchResponse[]> {
  http.stats.batchSubRequests += requests.length;
  const body = {
    requests: requests.map((r) => ({
      id: r.id,
      method: r.method,
      url: r.url,
      ...(r.body !== undefined ? { body: r.body, headers: { 'Content-Type': 'application/json', ...(r.headers ?? {}) } } : r.headers ? { headers: r.headers } : {}),
    })),
  };
  const res = await http.post<{ responses?: { id: string; status: number; headers?: Record<string, string>; body?: unknown }[] }>('/$batch', body);
  return (res?.responses ?? []).map((r) => ({ id: String(r.id), status: Number(r.status), headers: r.headers ?? {}, body: r.body ?? null }));
}

/**
 * Reads through $batch: 20 per request, `batchConcurrency` in flight. A throttled or failed item
 * (429/5xx) is sent again on its own after its Retry-After; a failed envelope is sent again whole
 * (reads are safe to repeat). Every request gets an answer, possibly an error status.
 */
export async function batchRead(http: GraphHttp, requests: BatchRequest[]): Promise<Map<string, BatchResponse>> {
  const answers = new Map<string, BatchResponse>();
  await mapLimit(chunk(requests, http.batchSize), http.concurrency, async (group) => {
    let pending = group;
    for (let attempt = 1; pending.length; attempt++) {
      let responses: BatchResponse[];
      let waitMs: number | undefined;
      try {
        responses = await sendBatch(http, pending);
      } catch (err) {
        const e = toGraphError(err);
        if (!e.transient || attempt >= http.maxAttempts) {
          for (const r of pending) answers.set(r.id, { id: r.id, status: e.status, headers: {}, body: { error: { code: e.code, message: e.message } } });
          return;
        }
        if (e.status === 429) http.stats.throttled++;
        http.stats.retries++;
        await http.policy.sleep(retryDelay(http.policy, attempt, e.retryAfterMs));
        continue;
      }
      const byId = new Map(responses.map((r) => [r.id, r]));
      const again: BatchRequest[] = [];
      for (const r of pending) {
        const a = byId.get(r.id) ?? { id: r.id, status: 0, headers: {}, body: { error: { code: 'NoAnswer', message: 'The batch returned no answer for this request.' } } };
        if (isTransientStatus(a.status) && attempt < http.maxAttempts) {
          if (a.status === 429) http.stats.throttled++;
          const e = batchError(a.status, a.body, a.headers);
          waitMs = Math.max(waitMs ?? 0, retryDelay(http.policy, attempt, e.retryAfterMs));
          again.push(r);
        } else answers.set(r.id, a);
      }
      if (again.length) {
        http.stats.retries += again.length;
        await http.policy.sleep(waitMs ?? 0);
      }
      pending = again;
    }
  });
  return answers;
}
