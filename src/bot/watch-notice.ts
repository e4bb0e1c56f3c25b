// The error watch's notice to the approvers (src/requests/watch.ts finds what is new): which
// members of a watched group have a new license error, why in plain words, the fix, and the
// "Reprocess after fixing" button.
import type { NewErrors } from '../requests/watch';
import type { Messages } from '../i18n';
import { action } from './cards/common';
import { noticeCard } from './cards/notice';
import { principalLabel } from './cards/preflight';
import { md, type AdaptiveCard } from './cards/render';
import type { ApproverReach } from './approver-reach';

const MAX_LINES = 10;

export function watchCard(t: Messages, found: NewErrors): AdaptiveCard {
  const group = md(found.group.displayName);
  const lines = found.members
    .slice(0, MAX_LINES)
    .map((m) => t.reprocess.line(md(principalLabel(m.principal)), md(m.errors[0]!.plan.displayName || m.errors[0]!.plan.skuPartNumber), t.reprocess.why(m.errors[0]!.error)));
  if (found.members.length > MAX_LINES) lines.push(t.reprocess.watchMore(found.members.length - MAX_LINES));
  return noticeCard({
    title: t.reprocess.watchTitle(group),
    text: t.reprocess.watchText(found.members.length, group),
    tone: 'warn',
    details: lines,
    actions: [action(t.reprocess.button, 'reprocess', { principal: { kind: 'group', id: found.group.id } }, 'positive')],
  });
}

/** ErrorWatch's notify: the approvers' chats and the approvals channels; true when it reached someone. */
export function watchNotifier(reach: Pick<ApproverReach, 'tellApprovers'>): (found: NewErrors) => Promise<boolean> {
  return async (found) => (await reach.tellApprovers((t) => watchCard(t, found))) > 0;
}
