// A change request on a card. Three views of one screen:
//   status    what everyone sees (cancel while pending, undo once done)
//   approval  what an approver sees: Approve / Reject with an optional reason
//   running   the instant answer to a click that starts work: no live buttons
import type { ChangeRequest } from '../../requests/types';
import type { Messages } from '../i18n';
import { md, renderCard, type AdaptiveCard } from './render';
import { action, SEVERITY_COLOR, type CardAction, type ContainerStyle, type Fact, type TextColor } from './common';
import { changeFacts, findingText } from './preflight';

export type RequestView = 'status' | 'approval' | 'running';

export interface RequestCardView {
  title: string;
  stateText: string;
  stateStyle: ContainerStyle;
  facts: Fact[];
  notes: { text: string; color: TextColor }[];
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
      return 'warning';
    case 'failed':
    case 'rejected':
      return 'attention';
    default:
      return 'emphasis';
  }
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function personName(a: { name?: string; id: string } | undefined): string {
  return a ? md(a.name || a.id) : '';
}

export interface RequestCardOptions {
  view: RequestView;
  /** A line on top, e.g. why a click was refused. Markdown-safe. */
  note?: { text: string; color?: TextColor };
  /** Progress of a running group change. Markdown-safe. */
  progress?: string;
  /** Teams user ids (29:...) that get their own view by refresh (approvers). At most 60. */
  refreshUserIds?: string[];
}

export function requestCard(t: Messages, r: ChangeRequest, opts: RequestCardOptions): AdaptiveCard {
  const view = opts.view;
  const notes: RequestCardView['notes'] = [];
  if (opts.note) notes.push({ text: opts.note.text, color: opts.note.color ?? 'Attention' });
  if (r.undoOf) notes.push({ text: t.request.undoOf(md(r.undoOf)), color: 'Default' });
  const findings = r.preflight?.findings ?? [];
  for (const f of findings.slice(0, MAX_FINDINGS)) notes.push({ text: findingText(t, f), color: SEVERITY_COLOR[f.severity] });
  if (findings.length > MAX_FINDINGS) notes.push({ text: t.common.andMore(findings.length - MAX_FINDINGS), color: 'Default' });
  if (r.result?.reason) notes.push({ text: t.request.reason(md(r.result.reason)), color: 'Default' });
  for (const w of r.result?.worsened ?? []) notes.push({ text: md(w), color: 'Attention' });
  if (r.result?.error) notes.push({ text: t.result.error(md(r.result.error)), color: 'Attention' });
  if (opts.progress) notes.push({ text: opts.progress, color: 'Accent' });
  if (view === 'approval' && r.state === 'pending') notes.push({ text: t.request.waitingForOther, color: 'Default' });

  const facts: Fact[] = r.preflight ? changeFacts(t, r.preflight.change) : [];
  facts.push({ title: t.request.requestedBy, value: personName(r.requester) });
  if (r.approver) facts.push({ title: t.request.approvedBy, value: personName(r.approver) });
  if (r.state === 'pending') facts.push({ title: t.request.expires, value: formatTime(r.expiresAt) });

  const ref = { requestId: r.id, version: r.version };
  const actions: CardAction[] = [];
  if (view === 'approval' && r.state === 'pending') {
    actions.push(action(t.request.approve, 'approve', ref, 'positive'));
    actions.push(action(t.request.reject, 'reject', ref, 'destructive'));
  } else if (view === 'status') {
    if (r.state === 'pending') {
      actions.push(action(t.request.cancelRequest, 'cancel', ref, 'destructive'));
      actions.push(action(t.request.refresh, 'refresh', { requestId: r.id }));
    } else if (r.state === 'completed' || r.state === 'partial') {
      if (!r.undoOf) actions.push(action(t.request.undo, 'undo', { requestId: r.id }));
    } else if (r.state === 'approved' || r.state === 'running') {
      actions.push(action(t.request.refresh, 'refresh', { requestId: r.id }));
    }
  }

  const stateText =
    view === 'running' ? t.request.approvedRunning : (t.request.states[r.state] ?? r.state).replace(/^./, (c) => c.toUpperCase());
  const cardView: RequestCardView = {
    title: view === 'approval' && r.state === 'pending' ? t.request.approvalTitle(md(r.id)) : t.request.statusTitle(md(r.id)),
    stateText,
    stateStyle: view === 'running' ? 'accent' : stateStyle(r.state),
    facts,
    notes,
    showReason: view === 'approval' && r.state === 'pending',
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
