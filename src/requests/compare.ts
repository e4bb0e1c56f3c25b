// At approval the preflight runs again on live data. This decides whether anything changed for
// the worse since the request was made, and says what: codes and data stored with the request
// (worsenedBetween), each line said in the reader's language when shown (worsenedText).
import type { Finding, PreflightResult, ResolvedChange } from '../licensing/model';
import type { Messages } from '../i18n';
import { planIds, sourcesOf, targetsOf } from '../licensing/change-plans';
import type { FindingRef, Worsened } from './types';

const RANK = { info: 0, warn: 1, block: 2 } as const;

function worstByCode(findings: readonly Finding[]): Map<string, Finding[]> {
  const m = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = m.get(f.code) ?? [];
    list.push(f);
    m.set(f.code, list);
  }
  return m;
}

function maxRank(fs: readonly Finding[] | undefined): number {
  return fs && fs.length ? Math.max(...fs.map((f) => RANK[f.severity])) : -1;
}

function principalIds(fs: readonly Finding[]): Set<string> {
  const s = new Set<string>();
  for (const f of fs) if (RANK[f.severity] >= RANK.warn) for (const p of f.principals) s.add(p.id.toLowerCase());
  return s;
}

const ref = (f: Finding): FindingRef => ({ code: f.code, data: f.data ?? {} });
const sides = (c: ResolvedChange) => ({ name: c.principal.displayName, from: sourcesOf(c).map((p) => p.displayName), to: targetsOf(c).map((p) => p.displayName) });

/** What got worse between the stored preflight and a fresh one; empty when nothing did. */
export function worsenedBetween(before: PreflightResult, after: PreflightResult): Worsened[] {
  const out: Worsened[] = [];
  const b = before.change;
  const a = after.change;

  const [ia, ib] = [planIds(a), planIds(b)];
  if (a.principal.id.toLowerCase() !== b.principal.id.toLowerCase() || ia.from !== ib.from || ia.to !== ib.to) {
    out.push({ code: 'differentChange', now: sides(a), approved: sides(b) });
  }

  // One seat line per target (several plans in one change), else the change's own.
  let seatsReported = false;
  const lines = (c: typeof a) => c.seatsByTarget ?? [{ ...c.to, ...c.seats }];
  const thenBy = new Map(lines(b).map((l) => [l.skuId.toLowerCase(), l]));
  for (const now of lines(a)) {
    const then = thenBy.get(now.skuId.toLowerCase());
    if (now.available >= now.needed || (then && then.available < then.needed)) continue;
    seatsReported = true;
    out.push({
      code: 'seatsShort',
      plan: now.displayName,
      available: now.available,
      needed: now.needed,
      ...(then ? { then: { available: then.available, needed: then.needed } } : {}),
    });
  }

  const beforeByCode = worstByCode(before.findings);
  const afterByCode = worstByCode(after.findings);
  for (const [code, fs] of afterByCode) {
    const rankNow = maxRank(fs);
    if (rankNow < RANK.warn) continue;
    if (code === 'SEATS_SHORT' && seatsReported) continue;
    const prev = beforeByCode.get(code);
    const rankBefore = maxRank(prev);
    const worst = fs.find((f) => RANK[f.severity] === rankNow)!;
    if (rankBefore < 0) {
      out.push({ code: rankNow === RANK.block ? 'newBlock' : 'newWarning', finding: ref(worst) });
      continue;
    }
    if (rankNow > rankBefore) {
      out.push({ code: 'nowBlocking', finding: ref(worst) });
      continue;
    }
    const was = principalIds(prev!);
    const now = principalIds(fs);
    const added = [...now].filter((id) => !was.has(id)).length;
    if (added > 0) out.push({ code: 'morePeople', finding: ref(worst), added, now: now.size, was: was.size });
  }

  if (after.blocked && !before.blocked && out.length === 0) {
    out.push({ code: 'nowBlocked', findings: after.findings.filter((f) => f.severity === 'block').map(ref) });
  }
  return out;
}

/** Tenant text in the data, escaped for where it is shown (the cards' Markdown; plain for the CLI and logs). */
function escData<T>(value: T, esc: (s: string) => string): T {
  if (typeof value === 'string') return esc(value) as T;
  if (Array.isArray(value)) return value.map((v) => escData(v, esc)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escData(v, esc)])) as T;
  return value;
}

/** One worsened line in the reader's language; a line stored as text (older rows) as it was stored. */
export function worsenedText(t: Messages, w: Worsened | string, esc: (s: string) => string = (s) => s): string {
  if (typeof w === 'string') return esc(w);
  const say = t.request.worsenedWhy;
  const finding = (f: FindingRef): string => {
    const render = t.findings[f.code] as ((d: Record<string, unknown>) => string) | undefined;
    return render ? render(escData(f.data ?? {}, esc)) : esc(String(f.code));
  };
  const change = (c: { name: string; from: string[]; to: string[] }) => say.change(esc(c.name), esc(t.reach.list(c.from)), esc(t.reach.list(c.to)));
  switch (w.code) {
    case 'differentChange':
      return say.differentChange(change(w.now), change(w.approved));
    case 'seatsShort':
      return w.then ? say.seatsShortThen(esc(w.plan), w.available, w.needed, w.then.available, w.then.needed) : say.seatsShort(esc(w.plan), w.available, w.needed);
    case 'newBlock':
      return say.newBlock(finding(w.finding));
    case 'newWarning':
      return say.newWarning(finding(w.finding));
    case 'nowBlocking':
      return say.nowBlocking(finding(w.finding));
    case 'morePeople':
      return say.morePeople(finding(w.finding).replace(/[.\s]+$/, ''), w.added, w.now, w.was);
    case 'nowBlocked':
      return say.nowBlocked(w.findings.map(finding).join('; '));
    default:
      return esc(String((w as { code?: unknown }).code ?? ''));
  }
}
