// The completion notice pushed to the conversation: members done, members in error and why,
// and what to do next.
import type { ChangeRequest } from '../../requests/types';
import type { PlanInfo, SwapOutcome } from '../../licensing/model';
import { runErrorText, usageLocationNotSetText, type Messages } from '../../i18n';
import { md, renderCard, type AdaptiveCard } from './render';
import { action, signed, TONE_STYLE, type CardAction, type ContainerStyle, type Fact, type Tone } from './common';
import { changeFacts, MAX_NAMES, principalLabel } from './preflight';
import { missLine, waveMisses, waveProgressText } from './waves';
import { missCause, waveTotals } from '../../requests/waves';
import { adoptWhyText } from '../../requests/adopt-why';
import { worsenedText } from '../../requests/compare';

export interface ResultView {
  title: string;
  summary: string;
  summaryStyle: ContainerStyle;
  facts: Fact[];
  /** A heading with its sign (default colour) and lines, in a Container of the tone's style. */
  sections: { title: string; style: ContainerStyle; lines: string[] }[];
  nextTitle: string;
  next: string;
  actions: CardAction[];
}

/** `plans`: the tenant's seats read after the change; without them the check's figures are labelled as such. */
export function resultCard(t: Messages, r: ChangeRequest, plans?: PlanInfo[]): AdaptiveCard {
  const state = r.state;
  const res = r.result ?? {};
  const swap = res.swap;
  const tracking = res.tracking;
  const totals = res.trackingTotals;
  const sections: ResultView['sections'] = [];
  const section = (tone: Tone, title: string, lines: string[], style: ContainerStyle = TONE_STYLE[tone]) => sections.push({ title: signed(tone, title), style, lines });
  if (r.preflight?.change.kind === 'adopt') return adoptResultCard(t, r, plans);

  const waves = res.waves;
  if (waves) {
    // A change run in waves: each wave's read-back says who is done, who failed and why.
    const tot = waveTotals(waves);
    const missed = new Set(waves.waves.flatMap((w) => w.failed.map((m) => m.principal.id.toLowerCase())));
    const names = (swap?.changed ?? []).filter((p) => !missed.has(p.id.toLowerCase()));
    if (tot.done > 0) {
      const lines = names.slice(0, MAX_NAMES).map((p) => md(principalLabel(p)));
      if (tot.done > lines.length) lines.push(t.common.andMore(tot.done - lines.length));
      section('done', t.result.done(tot.done), lines, 'default');
    }
    const misses = waveMisses(t, waves);
    if (misses.failedTotal) section('block', t.waves.whyTitle(misses.failedTotal), misses.failed);
    if (misses.skippedTotal) section('warn', t.waves.skippedTitle(misses.skippedTotal), misses.skipped);
    section('plain', '', [waveProgressText(t, waves)]);
  } else {
    // Done: tracked group members, else the principals whose call succeeded.
    const done = tracking ? tracking.done : (swap?.changed ?? []);
    const doneTotal = tracking ? (totals?.done ?? tracking.done.length) : done.length;
    if (doneTotal > 0) {
      const lines = done.slice(0, MAX_NAMES).map((p) => md(principalLabel(p)));
      if (doneTotal > lines.length) lines.push(t.common.andMore(doneTotal - lines.length));
      section('done', r.spec?.reprocess ? t.reprocess.nowFine(doneTotal) : t.result.done(doneTotal), lines, 'default'); // the summary above is already green
    }

    const errorLines: string[] = [];
    // Entra's error in the reader's language: what it means and the fix.
    // (the license service's English sentence names the plan; the tables say it in every language).
    const own = !r.spec?.reprocess && t.lang === 'en';
    for (const f of swap?.failed ?? []) errorLines.push(`${md(principalLabel(f.principal))}: ${refusal(t, f, own)}`);
    for (const e of tracking?.errors ?? []) errorLines.push(`${md(principalLabel(e.principal))}: ${own || !e.error ? md(e.message || e.error) : t.reprocess.why(e.error)}`);
    const errorTotal = (swap?.failed.length ?? 0) + (tracking ? (totals?.errors ?? tracking.errors.length) : 0);
    if (errorTotal > 0) {
      const lines = errorLines.slice(0, MAX_NAMES);
      if (errorTotal > lines.length) lines.push(t.common.andMore(errorTotal - lines.length));
      section('block', r.spec?.reprocess ? t.reprocess.stillInError(errorTotal) : t.result.inError(errorTotal), lines);
    }
  }

  // Usage locations the change set first (and whose could not be set, when not named above).
  const ul = swap?.usageLocation;
  if (ul?.set.length) {
    const lines = ul.set.slice(0, MAX_NAMES).map((p) => md(principalLabel(p)));
    if (ul.set.length > lines.length) lines.push(t.common.andMore(ul.set.length - lines.length));
    section('info', t.usageLocation.resultSet(ul.set.length, ul.country), lines, 'default');
  }
  const named = new Set((swap?.failed ?? []).map((f) => f.principal.id.toLowerCase()));
  const notSet = (ul?.failed ?? []).filter((f) => !named.has(f.principal.id.toLowerCase()));
  if (notSet.length) {
    const lines = notSet.slice(0, MAX_NAMES).map((f) => `${md(principalLabel(f.principal))}: ${usageLocationNotSetText(t, f, md)}`);
    if (notSet.length > lines.length) lines.push(t.common.andMore(notSet.length - lines.length));
    section('warn', t.usageLocation.resultFailed(notSet.length), lines);
  }

  const still = tracking?.stillHoldingSource ?? [];
  const stillTotal = tracking ? (totals?.stillHoldingSource ?? still.length) : 0;
  if (stillTotal > 0) {
    const lines = still.slice(0, MAX_NAMES).map((p) => md(principalLabel(p)));
    if (stillTotal > lines.length) lines.push(t.common.andMore(stillTotal - lines.length));
    section('warn', t.result.stillHoldingSource(stillTotal), lines);
  }
  const notes: string[] = [];
  for (const w of res.worsened ?? []) notes.push(worsenedText(t, w, md));
  if (res.error) notes.push(t.result.error(res.runError ? runErrorText(t, res.runError, md) : md(res.error)));
  if (tracking?.outcome === 'timeout') notes.push(t.result.timeout);
  if (res.membersJoined) notes.push(t.result.membersJoined(res.membersJoined));
  if (res.resumed) notes.push(t.result.resumed);
  if (notes.length) section('plain', '', notes);

  const reprocess = !!r.spec?.reprocess;
  const summary = reprocess
    ? state === 'completed'
      ? t.reprocess.allFine
      : state === 'partial'
        ? t.reprocess.someInError
        : t.reprocess.failed
    : state === 'completed'
      ? t.result.completed
      : state === 'partial'
        ? t.result.partial
        : t.result.failed;
  const next = reprocess
    ? state === 'completed'
      ? t.reprocess.nextAllFine
      : t.reprocess.nextSome
    : state === 'completed'
      ? t.result.nextCompleted
      : state === 'partial'
        ? t.result.nextPartial
        : t.result.nextFailed;
  // Members still in error after a group change or a reprocess: once the cause is fixed, one click
  // reprocesses them (the members in error are read again then; the button names only the group).
  const inError = (tracking?.errors.length ?? 0) > 0;
  const scope = r.preflight?.change;
  const reprocessTarget =
    inError && scope
      ? scope.kind === 'group'
        ? { kind: 'group', id: scope.principal.id }
        : scope.kind === 'user'
          ? { kind: 'user', id: scope.principal.id }
          : undefined
      : undefined;
  const actions: CardAction[] = [];
  if (reprocessTarget) actions.push(action(t.reprocess.button, 'reprocess', { principal: reprocessTarget }, 'positive'));
  if ((state === 'completed' || state === 'partial') && !r.undoOf && !reprocess) actions.push(action(t.request.undo, 'undo', { requestId: r.id }));
  const view: ResultView = {
    title: reprocess ? t.reprocess.resultTitle(md(r.id)) : t.result.title(md(r.id)),
    summary: signed(state === 'completed' ? 'done' : state === 'partial' ? 'warn' : 'block', res.worsened?.length && state === 'failed' ? t.request.worsened : summary),
    summaryStyle: state === 'completed' ? 'good' : state === 'partial' ? 'warning' : 'attention',
    facts: r.preflight ? changeFacts(t, r.preflight.change, plans ? { kind: 'now', plans } : { kind: 'at-check' }) : [],
    sections,
    nextTitle: t.result.next,
    next,
    actions,
  };
  return renderCard('result', view);
}

/**
 * Why Graph refused a call. The outcome holds the license service's English explanation (`own`:
 * the reader reads English, shown as it is); other readers get its cause from the tables, with
 * Graph's code when the cause has no name.
 */
function refusal(t: Messages, f: SwapOutcome, own: boolean): string {
  // Their usage location could not be set, so no license call was made: why, from its code.
  if (f.usageLocationWhy) return usageLocationNotSetText(t, f, md);
  if (own) return md(f.reason ?? f.graphMessage ?? f.graphCode ?? '');
  const cause = missCause(`${f.graphCode ?? ''} ${f.graphMessage ?? ''} ${f.reason ?? ''}`);
  const why = t.waves.why[cause] ?? t.waves.why.other;
  return cause === 'other' && f.graphCode ? `${why} (${md(f.graphCode)})` : why;
}

/** An adopt's notice: own copies removed, and who keeps theirs and why. */
function adoptResultCard(t: Messages, r: ChangeRequest, plans?: PlanInfo[]): AdaptiveCard {
  const state = r.state;
  const res = r.result ?? {};
  const a = res.adopt;
  const sections: ResultView['sections'] = [];
  const section = (tone: Tone, title: string, lines: string[], style: ContainerStyle = TONE_STYLE[tone]) => sections.push({ title: signed(tone, title), style, lines });
  const capped = (lines: string[], total: number) => {
    const out = lines.slice(0, MAX_NAMES);
    if (total > out.length) out.push(t.common.andMore(total - out.length));
    return out;
  };
  // Removals run by the wave engine (a request in waves): its records say who went and who stayed.
  const w = res.waves;
  const waveKept = w ? w.waves.flatMap((x) => [...x.skipped, ...x.failed]) : [];
  const removedCount = w ? w.waves.reduce((n, x) => n + x.done, 0) : (a?.removedCount ?? 0);
  const removed = w ? (res.swap?.changed ?? []).filter((p) => p.kind === 'user') : (a?.removed ?? []);
  if (removedCount)
    section(
      'done',
      t.result.adoptRemoved(removedCount),
      capped(
        removed.map((p) => md(principalLabel(p))),
        removedCount,
      ),
      'default',
    );
  const keptTotal = (a?.keptCount ?? 0) + (w ? w.waves.reduce((n, x) => n + x.skippedCount + x.failedCount, 0) : 0);
  if (keptTotal) {
    // Stored as codes and data: said in the reader's language (older rows' English as stored).
    section(
      'warn',
      t.result.adoptKept(keptTotal),
      capped([...(a?.kept ?? []).map((k) => `${md(principalLabel(k.principal))}: ${adoptWhyText(t, k, md)}`), ...waveKept.map((m) => missLine(t, m))], keptTotal),
    );
  }
  for (const f of res.swap?.failed.filter((o) => o.principal.kind === 'group') ?? []) section('block', md(principalLabel(f.principal)), [refusal(t, f, t.lang === 'en')]);
  // Members in error from the group who had no own copy to keep (the group's copy is all they were to get).
  const keptIds = new Set([...(a?.kept ?? []).map((k) => k.principal.id.toLowerCase()), ...waveKept.map((m) => m.principal.id.toLowerCase())]);
  const others = (res.tracking?.errors ?? []).filter((e) => !keptIds.has(e.principal.id.toLowerCase()));
  if (others.length)
    section(
      'block',
      t.result.inError(others.length),
      capped(
        // Entra's error in the reader's language (the service's English sentence for an English reader).
        others.map((e) => `${md(principalLabel(e.principal))}: ${t.lang === 'en' || !e.error ? md(e.message || e.error) : t.reprocess.why(e.error)}`),
        others.length,
      ),
    );
  const notes: string[] = [];
  for (const w of res.worsened ?? []) notes.push(worsenedText(t, w, md));
  if (res.error) notes.push(t.result.error(res.runError ? runErrorText(t, res.runError, md) : md(res.error)));
  if (res.resumed) notes.push(t.result.resumed);
  if (notes.length) section('plain', '', notes);
  const view: ResultView = {
    title: t.result.title(md(r.id)),
    summary: signed(
      state === 'completed' ? 'done' : state === 'partial' ? 'warn' : 'block',
      res.worsened?.length && state === 'failed'
        ? t.request.worsened
        : state === 'completed'
          ? t.result.adoptCompleted
          : state === 'partial'
            ? t.result.adoptPartial
            : t.result.adoptFailed,
    ),
    summaryStyle: state === 'completed' ? 'good' : state === 'partial' ? 'warning' : 'attention',
    facts: r.preflight ? changeFacts(t, r.preflight.change, plans ? { kind: 'now', plans } : { kind: 'at-check' }) : [],
    sections,
    nextTitle: t.result.next,
    next: state === 'completed' ? t.result.adoptNextCompleted : state === 'partial' ? t.result.adoptNextPartial : t.result.nextFailed,
    // Members in error from the group: once the cause is fixed, one click reprocesses them.
    actions:
      res.tracking?.errors.length && r.preflight
        ? [action(t.reprocess.button, 'reprocess', { principal: { kind: 'group', id: r.preflight.change.principal.id } }, 'positive')]
        : [],
  };
  return renderCard('result', view);
}
