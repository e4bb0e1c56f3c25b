// Plain-text rendering for the CLI: tables and short reports. No colours, no terminal tricks, so
// output reads the same in a log file. Every word from the message tables (cli, preflight, result).
import type { AdoptKept, AdoptProgress, Finding, PlanInfo, PreflightResult, PrincipalRef, PrincipalStatus, SwapOutcome, SwapResult, TrackingReport } from '../licensing/model';
import { missCause } from '../requests/waves';
import { en, usageLocationNotSetText, type Messages } from '../i18n';
import { sourcesOf, targetsOf } from '../licensing/change-plans';
import { adoptWhyText } from '../requests/adopt-why';

export function table(headers: string[], rows: string[][], alignRight: number[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (s: string, i: number) => (alignRight.includes(i) ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  const line = (r: string[]) =>
    r
      .map((c, i) => cell(c ?? '', i))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function who(p: PrincipalRef, t: Messages): string {
  if (p.kind === 'group') return t.cli.group(p.displayName);
  if (p.id.startsWith('users:')) return p.displayName;
  return p.userPrincipalName ? `${p.displayName} <${p.userPrincipalName}>` : p.displayName;
}

const plan = (p: { displayName: string; skuPartNumber: string }) => (p.displayName === p.skuPartNumber ? p.skuPartNumber : `${p.displayName} (${p.skuPartNumber})`);

function listNames(refs: PrincipalRef[], t: Messages, max = 10): string {
  const shown = refs.slice(0, max).map((r) => r.userPrincipalName ?? r.displayName);
  return shown.join(', ') + (refs.length > max ? ` ${t.cli.andMore(refs.length - max)}` : '');
}

/** The severity tags, padded to one width so the sentences line up. */
function tagOf(severity: Finding['severity'], t: Messages): string {
  const width = Math.max(t.cli.tag.block.length, t.cli.tag.warn.length, t.cli.tag.info.length);
  return t.cli.tag[severity].padEnd(width);
}

/** A finding's sentence from the message tables (src/i18n), the one the bot's card shows. */
export function findingSentence(f: Finding, t: Messages = en): string {
  const render = t.findings[f.code] as ((d: Record<string, unknown>) => string) | undefined;
  return render ? render(f.data ?? {}) : f.code;
}

function finding(f: Finding, t: Messages): string {
  const tag = tagOf(f.severity, t);
  const indent = ' '.repeat(tag.length + 4);
  const whom = f.principals.length ? `\n${indent}${f.principals.length > 1 ? `${f.principals.length}: ` : ''}${listNames(f.principals, t)}` : '';
  // The usage location fix the app may make: the flag that asks for it.
  const fix = f.code === 'USAGE_LOCATION_MISSING' && f.data?.fix && typeof f.data.fix === 'object' ? (f.data.fix as { country?: unknown }) : undefined;
  const hint = fix ? `\n${indent}${t.usageLocation.cliHint(typeof fix.country === 'string' && fix.country ? fix.country : null)}` : '';
  return `  ${tag}  ${findingSentence(f, t)} [${f.code}]${whom}${hint}`;
}

export function preflightText(r: PreflightResult, t: Messages = en): string {
  const c = r.change;
  const out: string[] = [];
  if (c.kind === 'adopt') {
    const own = c.assignments.filter((a) => a.principal.kind === 'user').length;
    out.push(t.cli.adoptHead(who(c.principal, t), plan(c.to)));
    out.push(t.cli.adoptCounts(own, c.seats.needed ? t.cli.seatsMore(c.seats.needed, c.seats.available) : t.cli.seatsUnchanged));
  } else {
    out.push(t.cli.change(who(c.principal, t), sourcesOf(c).map(plan).join(' + '), targetsOf(c).map(plan).join(' + ')));
    if (c.seatsByTarget?.length) {
      // Several targets: a seat line each.
      out.push(t.cli.affected(c.affectedUsers));
      for (const l of c.seatsByTarget) out.push(t.cli.seatsOf(plan(l), l.needed, l.available));
    } else out.push(t.cli.affectedSeats(c.affectedUsers, c.seats.needed, c.seats.available));
  }
  const groups = c.assignments.filter((a) => a.principal.kind === 'group').length + (c.adopt?.groupWrite ? 1 : 0);
  const users = c.assignments.filter((a) => a.principal.kind === 'user').length;
  out.push(t.cli.calls(groups, users, !!c.includeDirectCopies));
  // The service lists under the preflight card's labels.
  if (c.servicesKept.length) out.push(`${t.preflight.kept}: ${c.servicesKept.join(', ')}`);
  if (c.servicesGained.length) out.push(`${t.preflight.gained}: ${c.servicesGained.join(', ')}`);
  if (c.servicesUpgraded?.length) out.push(`${t.preflight.upgraded}: ${c.servicesUpgraded.join('; ')}`);
  if (c.servicesDowngraded?.length) out.push(`${t.preflight.downgraded}: ${c.servicesDowngraded.join('; ')}`);
  if (c.servicesLost.length) out.push(`${t.preflight.lost}: ${c.servicesLost.join(', ')}`);
  if (r.findings.length) {
    out.push(`${t.cli.findings}:`);
    for (const f of r.findings) out.push(finding(f, t));
  } else out.push(`${t.cli.findings}: ${t.common.none}`);
  const counts = t.cli.counts(r.counts.block, r.counts.warn, r.counts.info);
  out.push(r.blocked ? t.cli.resultBlocked(counts) : t.cli.resultReady(counts));
  return out.join('\n');
}

/**
 * Why Graph refused someone: the waves' sentence for a cause it names (in the reader's language),
 * else the reason as the license service or Graph gave it.
 */
function refusal(f: SwapOutcome, t: Messages): string {
  // A usage location that could not be set (no license call was made): why, from its code.
  if (f.usageLocationWhy) return usageLocationNotSetText(t, f);
  // An adopt's member who keeps their own copy: why, from its codes.
  if (f.adoptKept) return adoptWhyText(t, f.adoptKept);
  const cause = missCause(`${f.graphCode ?? ''} ${f.graphMessage ?? ''} ${f.reason ?? ''}`);
  if (cause !== 'other' && t.waves.why[cause]) return t.waves.why[cause]!;
  // The service's English explanation for an English reader; others get the tables' word and Graph's code.
  if (t.lang !== 'en' && f.graphCode) return `${t.waves.why.other} (${f.graphCode})`;
  return f.reason ?? f.graphMessage ?? t.cli.refused;
}

export function swapText(s: SwapResult, t: Messages = en): string {
  const out: string[] = [];
  const ul = s.usageLocation;
  if (ul?.set.length) out.push(t.cli.usageLocationSet(ul.country, listNames(ul.set, t)));
  if (ul?.failed.length)
    out.push(
      t.cli.usageLocationNotSet(
        listNames(
          ul.failed.map((o) => o.principal),
          t,
        ),
      ),
    );
  const accepted = s.outcomes.filter((o) => o.status === 'accepted');
  const changed = s.outcomes.filter((o) => o.status === 'changed');
  if (accepted.length) out.push(t.cli.accepted(accepted.map((o) => who(o.principal, t)).join(', ')));
  if (changed.length) out.push(t.cli.changed(changed.length));
  if (s.failed.length) {
    out.push(t.cli.failed(s.failed.length));
    for (const f of s.failed.slice(0, 20)) out.push(`  ${who(f.principal, t)}: ${refusal(f, t)}`);
    if (s.failed.length > 20) out.push(`  ${t.cli.moreLines(s.failed.length - 20)}`);
  }
  return out.join('\n');
}

export function trackingText(r: TrackingReport, t: Messages = en): string {
  const out: string[] = [];
  const state = t.common.processingState(r.processingState);
  const head = r.outcome === 'complete' ? t.cli.trackComplete : r.outcome === 'timeout' ? t.cli.trackTimeout(state) : t.cli.trackEnded(state);
  out.push(t.cli.trackSummary(head, r.done.length, r.errors.length, r.stillHoldingSource.length));
  // Entra's error value, then what it means and the fix (the reprocess sentences).
  for (const e of r.errors.slice(0, 20)) out.push(`  ${who(e.principal, t)}: ${e.error}: ${t.reprocess.why(e.error)}`);
  if (r.errors.length > 20) out.push(`  ${t.cli.moreLines(r.errors.length - 20)}`);
  if (r.stillHoldingSource.length) out.push(`  ${t.cli.stillHolding(listNames(r.stillHoldingSource, t))}`);
  return out.join('\n');
}

export function plansText(plans: PlanInfo[], t: Messages = en): string {
  const rows = [...plans]
    .sort((a, b) => a.displayName.localeCompare(b.displayName))
    .map((p) => [
      p.displayName,
      p.skuPartNumber,
      p.aliases.slice(0, 2).join(', '),
      String(p.enabled),
      String(p.consumed),
      String(p.available),
      p.capabilityStatus + (p.appliesTo !== 'User' ? ` (${p.appliesTo})` : ''),
    ]);
  const c = t.cli.plansColumns;
  return table([c.plan, c.partNumber, c.aliases, c.enabled, c.consumed, c.available, c.status], rows, [3, 4, 5]);
}

export function statusText(s: PrincipalStatus, t: Messages = en): string {
  const out: string[] = [who(s.principal, t)];
  const c = t.cli.statusColumns;
  if (s.principal.kind === 'group') {
    out.push(t.cli.groupState(s.processingState ? t.common.processingState(s.processingState) : undefined, s.memberCount, s.membersInError ?? 0));
    out.push(
      s.licenses.length
        ? table(
            [c.plan, c.disabled],
            s.licenses.map((l) => [plan(l.plan), String(l.disabledPlans.length)]),
            [1],
          )
        : t.cli.groupNoLicenses,
    );
    return out.join('\n');
  }
  if (!s.licenses.length) {
    out.push(t.cli.userNoLicenses);
    return out.join('\n');
  }
  out.push(
    table(
      [c.plan, c.from, c.state, c.error, c.disabled],
      s.licenses.map((l) => [
        plan(l.plan),
        l.assignedByGroup ? t.cli.group(l.assignedByGroupName ?? l.assignedByGroup) : t.cli.direct,
        l.state ?? '',
        l.error ?? '',
        String(l.disabledPlans.length),
      ]),
      [4],
    ),
  );
  return out.join('\n');
}

/** An adopt's end: own copies removed, who keeps theirs and why (the completion notice's words). */
export function adoptText(outcome: 'completed' | 'failed' | 'partial', p: AdoptProgress, t: Messages = en, error?: string): string {
  const out: string[] = [outcome === 'completed' ? t.result.adoptCompleted : outcome === 'partial' ? t.result.adoptPartial : t.result.adoptFailed];
  if (p.removedCount) out.push(`${t.result.adoptRemoved(p.removedCount)}: ${listNames(p.removed, t)}`);
  const why = (k: AdoptKept): string => adoptWhyText(t, k);
  if (p.keptCount) {
    out.push(`${t.result.adoptKept(p.keptCount)}:`);
    for (const k of p.kept.slice(0, 20)) out.push(`  ${who(k.principal, t)}: ${why(k)}`);
    if (p.keptCount > 20) out.push(`  ${t.cli.moreLines(p.keptCount - 20)}`);
  }
  if (error) out.push(t.result.error(error));
  out.push(`${t.result.next}: ${outcome === 'completed' ? t.result.adoptNextCompleted : outcome === 'partial' ? t.result.adoptNextPartial : t.result.nextFailed}`);
  return out.join('\n');
}
