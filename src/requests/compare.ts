// At approval the preflight runs again on live data. This decides whether anything changed for
// the worse since the request was made, and says what in plain English (one line per change).
import type { Finding, PreflightResult } from '../licensing/model';
import { en } from '../i18n';
import { planIds, planNames } from '../licensing/change-plans';

const RANK = { info: 0, warn: 1, block: 2 } as const;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

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

/** The finding's sentence from the message tables (English: these lines are English today). */
function label(f: Finding): string {
  const render = en.findings[f.code] as ((d: Record<string, unknown>) => string) | undefined;
  return render ? render(f.data ?? {}) : f.code;
}

/** What got worse between the stored preflight and a fresh one; empty when nothing did. */
export function worsenedBetween(before: PreflightResult, after: PreflightResult): string[] {
  const out: string[] = [];
  const b = before.change;
  const a = after.change;

  const [ia, ib] = [planIds(a), planIds(b)];
  if (a.principal.id.toLowerCase() !== b.principal.id.toLowerCase() || ia.from !== ib.from || ia.to !== ib.to) {
    const [na, nb] = [planNames(a), planNames(b)];
    out.push(
      `The request now means a different change: ${a.principal.displayName} from ${na.from} to ${na.to} ` + `(approved: ${b.principal.displayName} from ${nb.from} to ${nb.to}).`,
    );
  }

  // One seat line per target (several plans in one change), else the change's own.
  let seatsReported = false;
  const lines = (c: typeof a) => c.seatsByTarget ?? [{ ...c.to, ...c.seats }];
  const thenBy = new Map(lines(b).map((l) => [l.skuId.toLowerCase(), l]));
  for (const now of lines(a)) {
    const then = thenBy.get(now.skuId.toLowerCase());
    if (now.available >= now.needed || (then && then.available < then.needed)) continue;
    seatsReported = true;
    out.push(
      `Not enough ${now.displayName} seats any more: ${now.available} available, ${now.needed} needed` +
        (then ? ` (there were ${then.available} available for ${then.needed} when it was requested).` : '.'),
    );
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
      out.push(`${rankNow === RANK.block ? 'New blocking problem' : 'New warning'}: ${label(worst)}`);
      continue;
    }
    if (rankNow > rankBefore) {
      out.push(`Now blocking (was a warning): ${label(worst)}`);
      continue;
    }
    const was = principalIds(prev!);
    const now = principalIds(fs);
    const added = [...now].filter((id) => !was.has(id)).length;
    if (added > 0) {
      out.push(`${label(worst).replace(/[.\s]+$/, '')} (${plural(added, 'more person', 'more people')} affected than when it was requested: ${now.size}, was ${was.size})`);
    }
  }

  if (after.blocked && !before.blocked && out.length === 0) {
    const blocks = after.findings.filter((f) => f.severity === 'block').map(label);
    out.push(`The change is now blocked${blocks.length ? `: ${blocks.join('; ')}` : '.'}`);
  }
  return out;
}
