// The card shown while a long answer is on its way ("Checking Sales…", "12,000 of about 30,000
// members read"), updated in place and then replaced by the answer; and what it says when a newer
// command in the chat took over. Built on the notice template: no buttons, nothing to click.
import type { ReadProgress } from '../../licensing/model';
import type { Messages } from '../../i18n';
import { noticeCard } from './notice';
import { md, type AdaptiveCard } from './render';

export interface ProgressView {
  /** The title before anything is known ("Checking Sales…", already markdown-safe). */
  title: string;
  progress?: ReadProgress;
  elapsedMs: number;
}

export function progressCard(t: Messages, view: ProgressView): AdaptiveCard {
  const p = view.progress;
  const title = p?.name ? t.working.checking(md(p.name)) : view.title;
  const text = p && (p.read > 0 || p.total !== undefined) ? t.working.membersRead(p.read, p.total) : t.working.busy;
  return noticeCard({ title, text, tone: 'info', details: [t.working.elapsed(view.elapsedMs)] });
}

export function supersededCard(t: Messages, title: string): AdaptiveCard {
  return noticeCard({ title, text: t.working.superseded, tone: 'plain' });
}
