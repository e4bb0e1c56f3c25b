// Plain-text rendering for the CLI: tables and short reports. No colours, no terminal tricks, so
// output reads the same in a log file.
import type { AdoptKept, AdoptProgress, Finding, PlanInfo, PreflightResult, PrincipalRef, PrincipalStatus, SwapResult, TrackingReport } from '../licensing/model';
import { en, type Messages } from '../i18n';
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

function who(p: PrincipalRef): string {
  if (p.kind === 'group') return `group ${p.displayName}`;
  if (p.id.startsWith('users:')) return p.displayName;
  return p.userPrincipalName ? `${p.displayName} <${p.userPrincipalName}>` : p.displayName;
}

const plan = (p: { displayName: string; skuPartNumber: string }) => (p.displayName === p.skuPartNumber ? p.skuPartNumber : `${p.displayName} (${p.skuPartNumber})`);

function listNames(refs: PrincipalRef[], max = 10): string {
  const shown = refs.slice(0, max).map((r) => r.userPrincipalName ?? r.displayName);
  return shown.join(', ') + (refs.length > max ? ` and ${refs.length - max} more` : '');
}

/** A finding's sentence from the message tables (src/i18n), the one the bot's card shows. */
export function findingSentence(f: Finding, t: Messages = en): string {
  const render = t.findings[f.code] as ((d: Record<string, unknown>) => string) | undefined;
  return render ? render(f.data ?? {}) : f.code;
}

function finding(f: Finding, t: Messages): string {
  const tag = f.severity === 'block' ? 'BLOCK' : f.severity === 'warn' ? 'WARN ' : 'INFO ';
  const whom = f.principals.length ? `\n         ${f.principals.length > 1 ? `${f.principals.length}: ` : ''}${listNames(f.principals)}` : '';
  // The usage location fix the app may make: the flag that asks for it.
  const fix = f.code === 'USAGE_LOCATION_MISSING' && f.data?.fix && typeof f.data.fix === 'object' ? (f.data.fix as { country?: unknown }) : undefined;
  const hint = fix ? `\n         ${t.usageLocation.cliHint(typeof fix.country === 'string' && fix.country ? fix.country : null)}` : '';
  return `  ${tag}  ${findingSentence(f, t)} [${f.code}]${whom}${hint}`;
}

export function preflightText(r: PreflightResult, t: Messages = en): string {
  const c = r.change;
  const out: string[] = [];
  if (c.kind === 'adopt') {
    const own = c.assignments.filter((a) => a.principal.kind === 'user').length;
    out.push(`Adopt: ${who(c.principal)} takes over ${plan(c.to)} from its members' own copies`);
    out.push(
      `Own copies to remove: ${own}; seats used: ${c.seats.needed ? `${c.seats.needed} more (${c.seats.available} available)` : 'unchanged (a plan counts once per person)'}`,
    );
  } else {
    out.push(`Change: ${who(c.principal)} from ${sourcesOf(c).map(plan).join(' + ')} to ${targetsOf(c).map(plan).join(' + ')}`);
    if (c.seatsByTarget?.length) {
      // Several targets: a seat line each.
      out.push(`Users affected: ${c.affectedUsers}`);
      for (const l of c.seatsByTarget) out.push(`Seats of ${plan(l)}: needed ${l.needed}, available ${l.available}`);
    } else out.push(`Users affected: ${c.affectedUsers}; seats needed ${c.seats.needed}, available ${c.seats.available}`);
  }
  const groups = c.assignments.filter((a) => a.principal.kind === 'group').length + (c.adopt?.groupWrite ? 1 : 0);
  const users = c.assignments.filter((a) => a.principal.kind === 'user').length;
  out.push(
    `Calls: ${[groups ? `${groups} group assignLicense` : '', users ? `${users} user assignLicense` : ''].filter(Boolean).join(' + ') || 'none'}${c.includeDirectCopies ? ' (direct copies included)' : ''}`,
  );
  if (c.servicesKept.length) out.push(`Services kept: ${c.servicesKept.join(', ')}`);
  if (c.servicesGained.length) out.push(`Services gained: ${c.servicesGained.join(', ')}`);
  if (c.servicesUpgraded?.length) out.push(`Services upgraded: ${c.servicesUpgraded.join('; ')}`);
  if (c.servicesDowngraded?.length) out.push(`Services downgraded: ${c.servicesDowngraded.join('; ')}`);
  if (c.servicesLost.length) out.push(`Services lost: ${c.servicesLost.join(', ')}`);
  if (r.findings.length) {
    out.push('Findings:');
    for (const f of r.findings) out.push(finding(f, t));
  } else out.push('Findings: none');
  const counts = `${r.counts.block} blocking, ${r.counts.warn} warning${r.counts.warn === 1 ? '' : 's'}, ${r.counts.info} note${r.counts.info === 1 ? '' : 's'}`;
  out.push(r.blocked ? `Result: BLOCKED (${counts}). Nothing was changed.` : `Result: ready to run (${counts}).`);
  return out.join('\n');
}

export function swapText(s: SwapResult): string {
  const out: string[] = [];
  const ul = s.usageLocation;
  if (ul?.set.length) out.push(`Usage location set to ${ul.country}: ${listNames(ul.set)}`);
  if (ul?.failed.length) out.push(`Usage location not set: ${listNames(ul.failed.map((o) => o.principal))}`);
  const accepted = s.outcomes.filter((o) => o.status === 'accepted');
  const changed = s.outcomes.filter((o) => o.status === 'changed');
  if (accepted.length) out.push(`Accepted by Entra (processed in the background): ${accepted.map((o) => who(o.principal)).join(', ')}`);
  if (changed.length) out.push(`Changed: ${changed.length} user${changed.length === 1 ? '' : 's'}`);
  if (s.failed.length) {
    out.push(`Failed: ${s.failed.length}`);
    for (const f of s.failed.slice(0, 20)) out.push(`  ${who(f.principal)}: ${f.reason ?? f.graphMessage ?? 'refused'}`);
    if (s.failed.length > 20) out.push(`  ... and ${s.failed.length - 20} more`);
  }
  return out.join('\n');
}

export function trackingText(t: TrackingReport): string {
  const out: string[] = [];
  const head =
    t.outcome === 'complete'
      ? 'Processing complete'
      : t.outcome === 'timeout'
        ? `Still processing (${t.processingState}) when the wait ended; check again with 'plan-switch status'`
        : `Processing ended as ${t.processingState}`;
  out.push(`${head}: ${t.done.length} done, ${t.errors.length} in error, ${t.stillHoldingSource.length} still holding the old plan elsewhere.`);
  for (const e of t.errors.slice(0, 20)) out.push(`  ${who(e.principal)}: ${e.error}: ${e.message}`);
  if (t.errors.length > 20) out.push(`  ... and ${t.errors.length - 20} more`);
  if (t.stillHoldingSource.length) out.push(`  Still holding the old plan: ${listNames(t.stillHoldingSource)}`);
  return out.join('\n');
}

export function plansText(plans: PlanInfo[]): string {
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
  return table(['Plan', 'Part number', 'Also called', 'Enabled', 'Consumed', 'Available', 'Status'], rows, [3, 4, 5]);
}

export function statusText(s: PrincipalStatus): string {
  const out: string[] = [who(s.principal)];
  if (s.principal.kind === 'group') {
    out.push(`Processing state: ${s.processingState ?? 'Unknown'}; members: ${s.memberCount ?? '?'}; members with license errors: ${s.membersInError ?? 0}`);
    out.push(
      s.licenses.length
        ? table(
            ['Plan', 'Disabled services'],
            s.licenses.map((l) => [plan(l.plan), String(l.disabledPlans.length)]),
            [1],
          )
        : 'No licenses assigned to the group.',
    );
    return out.join('\n');
  }
  if (!s.licenses.length) {
    out.push('No licenses.');
    return out.join('\n');
  }
  out.push(
    table(
      ['Plan', 'From', 'State', 'Error', 'Disabled services'],
      s.licenses.map((l) => [
        plan(l.plan),
        l.assignedByGroup ? `group ${l.assignedByGroupName ?? l.assignedByGroup}` : 'direct',
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
  if (p.removedCount) out.push(`${t.result.adoptRemoved(p.removedCount)}: ${listNames(p.removed)}`);
  const why = (k: AdoptKept): string => adoptWhyText(t, k);
  if (p.keptCount) {
    out.push(`${t.result.adoptKept(p.keptCount)}:`);
    for (const k of p.kept.slice(0, 20)) out.push(`  ${who(k.principal)}: ${why(k)}`);
    if (p.keptCount > 20) out.push(`  ... and ${p.keptCount - 20} more`);
  }
  if (error) out.push(t.result.error(error));
  out.push(`${t.result.next}: ${outcome === 'completed' ? t.result.adoptNextCompleted : outcome === 'partial' ? t.result.adoptNextPartial : t.result.nextFailed}`);
  return out.join('\n');
}
