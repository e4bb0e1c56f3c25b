// A change request on a card. Three views of one screen:
//   status    what everyone sees (cancel while pending, undo once done)
//   approval  what an approver sees: Approve / Reject with an optional reason
//   running   the instant answer to a click that starts work: no live buttons
import type { ChangeRequest } from '../../requests/types';
import { worsenedText } from '../../requests/compare';
import { runErrorText, type Messages } from '../../i18n';
import { md, nameList, renderCard, type AdaptiveCard } from './render';
import type { PlanInfo, TrackingProgress } from '../../licensing/model';
import { action, SEVERITY_TONE, toneLine, type CardAction, type ContainerStyle, type Fact, type Tone, type ToneLine } from './common';
import { changeFacts, findingText } from './preflight';
import { waveActions, waveNotes } from './waves';

export type RequestView = 'status' | 'approval' | 'running';

export interface RequestCardView {
  title: string;
  stateText: string;
  stateStyle: ContainerStyle;
  facts: Fact[];
  /** Default-coloured text with a sign, in a Container of the tone's style. */
  notes: ToneLine[];
  showReason: boolean;
  reasonLabel: string;
  actions: CardAction[];
}

const MAX_FINDINGS = 8;

export function stateStyle(state: ChangeRequest['state']): ContainerStyle {
  switch (state) {
    case 'completed':
      return 'good';
    case 'pending':
    case 'approved':
    case 'running':
      return 'accent';
    case 'partial':
    case 'paused':
      return 'warning';
    case 'failed':
    case 'rejected':
      return 'attention';
    default:
      return 'emphasis';
  }
}

/**
 * A moment in the reader's own time zone and locale: the Adaptive Cards {{DATE()}} / {{TIME()}}
 * functions, which the client formats (never stale, unlike "in 24 h"). Only our own timestamps go
 * here; tenant text has these functions broken up by md().
 */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return md(iso);
  const rfc = `${d.toISOString().slice(0, 19)}Z`;
  return `{{DATE(${rfc},SHORT)}} {{TIME(${rfc})}}`;
}

/** "Entra is processing the group: queued (12 s)." in the reader's language. */
export function progressText(t: Messages, p: Pick<TrackingProgress, 'processingState' | 'elapsedMs' | 'adopt'>): string {
  if (p.adopt) return t.request.adoptProgress(p.adopt.wave, p.adopt.waves, p.adopt.removed, p.adopt.total);
  return t.request.progress(md(t.common.processingState(p.processingState)), t.common.duration(p.elapsedMs));
}

export function personName(a: { name?: string; id: string } | undefined): string {
  return a ? md(a.name || a.id) : '';
}

/**
 * Who decided, as a fact whose label matches the decision ("Rejected by", never "Approved by"
 * on a rejected request); an expired request says nobody decided before it expired.
 */
export function deciderFact(t: Messages, r: ChangeRequest): Fact | undefined {
  switch (r.state) {
    case 'pending':
      return undefined;
    case 'rejected':
      return r.approver ? { title: t.request.rejectedByLabel, value: personName(r.approver) } : undefined;
    case 'cancelled':
      return r.result?.cancelledBy ? { title: t.request.cancelledByLabel, value: personName(r.result.cancelledBy) } : undefined;
    case 'expired':
      return { title: t.request.decision, value: t.request.noDecision(formatTime(r.expiresAt)) };
    default:
      return r.approver ? { title: t.request.approvedBy, value: personName(r.approver) } : undefined;
  }
}

/** The reason the decider typed, with their name: "Reason given by Pieter Bakker: …". */
export function reasonText(t: Messages, r: ChangeRequest): string | undefined {
  const reason = r.result?.reason;
  if (!reason) return undefined;
  const by = r.state === 'cancelled' ? r.result?.cancelledBy : r.approver;
  return by ? t.request.reasonFrom(personName(by), md(reason)) : t.request.reason(md(reason));
}

export interface RequestCardOptions {
  view: RequestView;
  /** A line on top, e.g. why a click was refused. Markdown-safe. */
  note?: { text: string; tone?: Tone };
  /** Progress of a running group change. Markdown-safe. */
  progress?: string;
  /** The tenant's seats read after the change (completed, partial, failed): shown instead of the check's. */
  plans?: PlanInfo[];
  /** Teams user ids (29:...) that get their own view by refresh (approvers). At most 60. */
  refreshUserIds?: string[];
  /** Who the approval request reached (approver-reach.ts reachLines), shown while pending. Markdown-safe. */
  reach?: { text: string; tone: Tone }[];
  /** A card in an approvals channel: its refresh button reads "Show my options" (Teams refreshes by itself for 60 people at most). */
  showMyOptions?: boolean;
}

export function requestCard(t: Messages, r: ChangeRequest, opts: RequestCardOptions): AdaptiveCard {
  const view = opts.view;
  const notes: RequestCardView['notes'] = [];
  if (opts.note) notes.push(toneLine(opts.note.tone ?? 'block', opts.note.text));
  if (r.undoOf) notes.push(toneLine('plain', t.request.undoOf(md(r.undoOf))));
  const findings = r.preflight?.findings ?? [];
  for (const f of findings.slice(0, MAX_FINDINGS)) notes.push(toneLine(SEVERITY_TONE[f.severity], findingText(t, f)));
  if (findings.length > MAX_FINDINGS) notes.push(toneLine('plain', t.common.andMore(findings.length - MAX_FINDINGS)));
  const reason = reasonText(t, r);
  if (reason) notes.push(toneLine('plain', reason));
  // After the run: whose usage location the change did set (the findings above say what was planned).
  const ul = r.result?.swap?.usageLocation;
  if (ul?.set.length)
    notes.push(
      toneLine(
        'done',
        `${t.usageLocation.resultSet(ul.set.length, ul.country)}: ${nameList(
          ul.set.map((p) => p.displayName),
          10,
          t.common.andMore,
        )}`,
      ),
    );
  for (const w of r.result?.worsened ?? []) notes.push(toneLine('block', worsenedText(t, w, md)));
  if (r.result?.error) notes.push(toneLine('block', t.result.error(r.result.runError ? runErrorText(t, r.result.runError, md) : md(r.result.error))));
  notes.push(...waveNotes(t, r));
  if (opts.progress) notes.push(toneLine('info', opts.progress));
  else if ((r.state === 'running' || r.state === 'paused') && r.preflight?.change.kind === 'adopt' && r.result?.adopt?.phase === 'removing') {
    // The removals so far: from the wave engine's records when it runs them, else the adopt's own.
    const total = r.preflight.change.assignments.length;
    const w = r.result.waves;
    const a = r.result.adopt;
    const [wave, of, removed] = w ? [w.waves.length, w.count, w.waves.reduce((n, x) => n + x.done, 0)] : [a.wave, a.waves, a.removedCount];
    if (wave > 0) notes.push(toneLine('info', t.request.adoptProgress(wave, of, removed, total)));
  }
  if (r.state === 'pending') for (const l of opts.reach ?? []) notes.push(toneLine(l.tone, l.text));
  // The approval view is only built for someone the server has found may decide (the notifier
  // sends it to eligible approvers; refresh checks canApprove for the person who asks).
  if (view === 'approval' && r.state === 'pending') notes.push(toneLine('plain', t.request.youMayDecide));

  const ran = r.state === 'completed' || r.state === 'partial' || r.state === 'failed';
  const facts: Fact[] = r.preflight
    ? changeFacts(t, r.preflight.change, opts.plans && ran ? { kind: 'now', plans: opts.plans } : r.state !== 'pending' ? { kind: 'at-check' } : { kind: 'check' })
    : [];
  facts.push({ title: t.request.requestedBy, value: personName(r.requester) });
  const decider = deciderFact(t, r);
  if (decider) facts.push(decider);
  if (r.state === 'pending') facts.push({ title: t.request.expires, value: formatTime(r.expiresAt) });

  const ref = { requestId: r.id, version: r.version };
  const actions: CardAction[] = [];
  if (view === 'approval' && r.state === 'pending') {
    actions.push(action(t.request.approve, 'approve', ref, 'positive'));
    actions.push(action(t.request.reject, 'reject', ref, 'destructive'));
  } else if (view === 'status') {
    if (r.state === 'pending') {
      actions.push(action(t.request.cancelRequest, 'cancel', ref, 'destructive'));
      actions.push(action(opts.showMyOptions ? t.reach.showMyOptions : t.request.refresh, 'refresh', { requestId: r.id }));
    } else if (r.state === 'completed' || r.state === 'partial' || (r.state === 'cancelled' && r.result?.waves && r.result.swap?.changed.length)) {
      // An adopt has no undo (the members keep the plan from the group), nor has a reprocess (it assigns nothing). A wave run cancelled
      // half-way: what ran can be undone.
      if (!r.undoOf && r.preflight?.change.kind !== 'adopt' && !r.spec.reprocess) actions.push(action(t.request.undo, 'undo', { requestId: r.id }));
    } else if (r.state === 'approved' || r.state === 'running' || r.state === 'paused') {
      actions.push(...waveActions(t, r));
      actions.push(action(t.request.refresh, 'refresh', { requestId: r.id }));
    }
  }

  const stateText = view === 'running' ? t.request.approvedRunning : (t.request.states[r.state] ?? r.state).replace(/^./, (c) => c.toUpperCase());
  const cardView: RequestCardView = {
    title: view === 'approval' && r.state === 'pending' ? t.request.approvalTitle(md(r.id)) : t.request.statusTitle(md(r.id)),
    stateText,
    stateStyle: view === 'running' ? 'accent' : stateStyle(r.state),
    facts,
    notes,
    // Approvers give a reason for approving or rejecting, the requester for cancelling.
    showReason: r.state === 'pending' && view !== 'running',
    reasonLabel: t.request.reasonLabel,
    actions,
  };
  const card = renderCard('request', cardView);
  if (opts.refreshUserIds?.length && r.state === 'pending') {
    card.refresh = {
      action: { type: 'Action.Execute', title: t.request.refresh, verb: 'refresh', data: { requestId: r.id } },
      userIds: opts.refreshUserIds.slice(0, 60),
    };
  }
  return card;
}
