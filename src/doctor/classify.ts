// One Graph answer -> one doctor line: ok, or what is missing. Plain functions over the raw answer
// (status and JSON as Graph sent them), tested without a server.
import type { CallCheck, CallName, Need } from './model';

export interface Answer {
  status: number;
  body: unknown;
}

export interface CallSpec {
  call: CallName;
  need: Need;
  /** The request as shown to the admin (ids replaced by {id}). */
  request: string;
  /** The least privileged permission for this read. */
  permission: string;
  /** Fields each returned object must carry (as keys; null is a value, absence is not). */
  fields?: readonly string[];
  /** Where the objects are: the body itself, `value` of a collection, a $batch item, or a number. */
  shape: 'entity' | 'collection' | 'batch' | 'count';
}

/** At most this many objects of a collection are looked at for missing fields. */
const SAMPLE = 50;

const objectOr = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** Graph's error code and message from an error body (any shape). */
export function graphError(status: number, body: unknown): { status: number; code: string; message: string } {
  const e = objectOr(objectOr(body)?.error);
  const code = typeof e?.code === 'string' ? e.code : status === 0 ? 'NetworkError' : `HTTP ${status}`;
  const message = typeof e?.message === 'string' ? e.message : typeof body === 'string' ? body.slice(0, 300) : '';
  return { status, code, message };
}

/** Fields of `wanted` absent from at least one of the objects (in `wanted`'s order). */
export function missingFields(objects: readonly unknown[], wanted: readonly string[]): string[] {
  const missing = new Set<string>();
  for (const o of objects.slice(0, SAMPLE)) {
    const rec = objectOr(o);
    for (const f of wanted) if (!rec || !Object.hasOwn(rec, f)) missing.add(f);
  }
  return wanted.filter((f) => missing.has(f));
}

/** Does this refusal say a request header was missing (advanced queries: ConsistencyLevel)? */
export function wantedHeader(status: number, message: string): string | undefined {
  if (status !== 400) return undefined;
  if (/consistencylevel/i.test(message) || /\$count is not currently supported/i.test(message)) return 'ConsistencyLevel: eventual';
  return undefined;
}

export function classify(spec: CallSpec, answer: Answer, ms: number): CallCheck {
  const base = { call: spec.call, need: spec.need, request: spec.request, permission: spec.permission, ms };
  let { status, body } = answer;
  if (spec.shape === 'batch' && status >= 200 && status < 300) {
    // The one item inside: its own status and body, as the product reads them.
    const item = objectOr((objectOr(body)?.responses as unknown[] | undefined)?.[0]);
    if (!item) return { ...base, status: 'missingField', fields: ['responses'] };
    status = typeof item.status === 'number' ? item.status : 0;
    body = item.body;
  }
  if (status >= 200 && status < 300) {
    if (spec.shape === 'count') {
      const n = typeof body === 'number' ? body : Number(String(body ?? '').trim());
      return Number.isFinite(n) && String(body ?? '').trim() !== '' ? { ...base, status: 'ok' } : { ...base, status: 'missingField', fields: ['$count'] };
    }
    const wanted = spec.fields ?? [];
    let objects: unknown[];
    if (spec.shape === 'collection') {
      const value = objectOr(body)?.value;
      if (!Array.isArray(value)) return { ...base, status: 'missingField', fields: ['value'] };
      objects = value;
    } else objects = [body];
    const missing = missingFields(objects, wanted);
    return missing.length ? { ...base, status: 'missingField', fields: missing } : { ...base, status: 'ok' };
  }
  const error = graphError(status, body);
  if (status === 403) return { ...base, status: 'missingPermission', error };
  if (status === 404) return { ...base, status: 'notFound', error };
  const header = wantedHeader(status, error.message);
  if (header) return { ...base, status: 'headerWanted', header, error };
  return { ...base, status: 'failed', error };
}

/** A read that was not made (no group or user to make it on). */
export function skipped(spec: CallSpec): CallCheck {
  return { call: spec.call, need: spec.need, request: spec.request, permission: spec.permission, status: 'skipped', ms: 0 };
}
