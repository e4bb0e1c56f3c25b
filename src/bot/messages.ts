// Chat commands: one message, one answer (a card or a sentence). Parsing is in parser.ts.
import type { Attachment } from './sdk';
import type { ChangeRequest } from '../requests/types';
import type { Command } from './parser';
import type { Messages } from '../i18n';
import type { JobOptions } from './jobs';
import type { Turn } from './turn';
import { cardAttachment, md, type AdaptiveCard } from './cards/render';
import { outgoingCard } from './card-data';
import { helpCard } from './cards/help';
import { guidePrincipalCard } from './cards/guide';
import { plansCard } from './cards/plans';
import { principalStatusCard } from './cards/principal-status';
import { requestCard } from './cards/request';
import { requestListCard } from './cards/request-list';
import { errorCard } from './cards/notice';
import { preflightCard } from './cards/preflight';
import { isLicensingError, licensingErrorCard, preflightOrExplain } from './error-card';
import { preflightWith, resolveTarget } from './names';
import { refusalText } from './refusals';
import { allowed, commandAccess } from './access';
import { onDoctor } from './doctor';
import { countryCode } from '../reference/countries';
import { reprocessTarget } from './reprocess';
import { splitWith, teamsSplitCard } from './teams-split';
import { DEFAULT_WAVES } from '../requests/waves';

const REQUEST_ID = /^#?\d{1,12}$/;

// Answers go through turn.send: in the turn while it lasts, proactively after (jobs.ts).
async function sendCard(turn: Turn, card: AdaptiveCard): Promise<string | undefined> {
  const attachment: Attachment = cardAttachment(await outgoingCard(card, turn.choices, turn.lang));
  return turn.send({ type: 'message', attachments: [attachment] });
}

async function sendText(turn: Turn, text: string): Promise<void> {
  await turn.send({ type: 'message', text, textFormat: 'markdown' });
}

/** What the progress card says while a command runs, and whether a newer command may stop it. */
export function commandJob(t: Messages, command: Command): JobOptions {
  switch (command.kind) {
    case 'move': {
      const p = command.principal;
      return { title: p.kind === 'users' ? t.working.checkingChange : t.working.checking(md(p.name)), supersedable: true };
    }
    case 'adopt':
      return { title: t.working.checking(md(command.group)), supersedable: true };
    case 'status':
      return { title: command.target ? t.working.lookingUp(md(command.target)) : t.working.busy, supersedable: true };
    case 'split-teams': {
      const name = command.principal && command.principal.kind !== 'users' ? md(command.principal.name) : '…';
      return { title: command.direction === 'join' ? t.teams.workingJoin(name) : t.teams.working(name), supersedable: true };
    }
    case 'undo':
    case 'reprocess':
      // It asks for a change: it finishes even when another command follows.
      return { title: t.working.busy, supersedable: false };
    default:
      return { title: t.working.busy, supersedable: true };
  }
}

/** A request card in this conversation, remembered so it is updated in place later. */
export async function sendRequestCard(turn: Turn, request: ChangeRequest, note?: string, tone: 'plain' | 'block' = 'plain'): Promise<void> {
  const card = requestCard(turn.t, request, { view: 'status', ...(note ? { note: { text: note, tone } } : {}) });
  const id = await sendCard(turn, card);
  if (id) await turn.conv.addCard(request.id, { conversationKey: turn.conversationKey, activityId: id, view: 'status', lang: turn.lang });
}

export async function onCommand(turn: Turn, command: Command): Promise<void> {
  const { t, deps } = turn;
  if (!(await allowed(turn, commandAccess(command.kind)))) {
    await sendText(turn, t.refuse.notRequester);
    return;
  }
  try {
    switch (command.kind) {
      case 'help':
        await sendCard(turn, helpCard(t));
        return;
      case 'new':
        await sendCard(turn, guidePrincipalCard(t));
        return;
      case 'plans':
        await sendCard(turn, plansCard(t, await deps.licenses.listPlans()));
        return;
      case 'status':
        await status(turn, command.target);
        return;
      case 'history': {
        const list = await deps.requests.history(command.limit ?? 10);
        await sendCard(turn, requestListCard(t, 'history', list));
        return;
      }
      case 'pending': {
        const list = await deps.requests.pending(turn.actor);
        await sendCard(turn, requestListCard(t, 'pending', list));
        return;
      }
      case 'undo':
        await undo(turn, command.change);
        return;
      case 'doctor':
        await onDoctor(turn, command.group);
        return;
      case 'reprocess': {
        const answer = await reprocessTarget(turn, command.principal);
        if (answer.text) await sendText(turn, answer.text);
        else if (answer.request) {
          const id = await sendCard(turn, answer.card!);
          if (id) await turn.conv.addCard(answer.request.id, { conversationKey: turn.conversationKey, activityId: id, view: 'status', lang: turn.lang });
        } else if (answer.card) await sendCard(turn, answer.card);
        return;
      }
      case 'pause':
      case 'resume':
      case 'cancel':
        await control(turn, command.kind, command.change);
        return;
      case 'move': {
        // "... with usage location BE": a code that is not a country gets a clear answer, nothing is looked up.
        const country = command.setUsageLocation === undefined ? undefined : countryCode(command.setUsageLocation);
        if (command.setUsageLocation !== undefined && !country) {
          await sendText(turn, t.usageLocation.badCountry(md(command.setUsageLocation)));
          return;
        }
        const waves = command.waves ? { ...(deps.requests.waveDefaults ?? DEFAULT_WAVES), ...command.waves } : undefined;
        const spec = {
          ...(command.from ? { from: command.from } : {}),
          to: command.to,
          ...(command.alsoTo?.length ? { alsoTo: command.alsoTo } : {}),
          ...(command.alsoFrom?.length ? { alsoFrom: command.alsoFrom } : {}),
          ...(country ? { setUsageLocation: { country } } : {}),
          ...(waves ? { waves } : {}),
        };
        const resolved = await resolveTarget(turn, command.principal, preflightWith(spec));
        if ('card' in resolved) {
          await sendCard(turn, resolved.card);
          return;
        }
        await sendCard(turn, await preflightOrExplain(turn, { principal: resolved.query, ...spec }));
        return;
      }
      case 'adopt': {
        const spec = { to: command.plan ?? '', adopt: {} };
        const resolved = await resolveTarget(turn, { kind: 'group', name: command.group }, preflightWith(spec));
        if ('card' in resolved) {
          await sendCard(turn, resolved.card);
          return;
        }
        await sendCard(turn, await preflightOrExplain(turn, { principal: resolved.query, ...spec }));
        return;
      }
      case 'split-teams': {
        if (!command.principal) {
          await sendText(turn, command.direction === 'join' ? t.teams.missingPrincipalJoin : t.teams.missingPrincipal);
          return;
        }
        if (command.principal.kind === 'users') {
          await sendText(turn, t.teams.oneAtATime);
          return;
        }
        const resolved = await resolveTarget(turn, command.principal, splitWith(command.direction));
        if ('card' in resolved) {
          await sendCard(turn, resolved.card);
          return;
        }
        await sendCard(turn, await teamsSplitCard(turn, resolved.query, command.direction));
        return;
      }
      case 'move-incomplete':
        await sendText(turn, command.missing === 'principal' ? t.errors.missingPrincipal : t.errors.missingTarget);
        return;
      case 'unknown':
        await sendText(turn, t.errors.notUnderstood(md(command.text.slice(0, 200))));
        return;
    }
  } catch (err) {
    if (isLicensingError(err)) {
      await sendCard(turn, await licensingErrorCard(turn, err));
      return;
    }
    throw err;
  }
}

async function status(turn: Turn, target: string | undefined): Promise<void> {
  const { t, deps } = turn;
  if (!target) {
    await sendText(turn, t.status.askWhich);
    return;
  }
  if (REQUEST_ID.test(target)) {
    const res = await deps.requests.status(target.replace(/^#/, ''), turn.actor);
    if (res.ok) {
      await sendRequestCard(turn, res.request);
      return;
    }
    // "#12" can only mean a request; a bare number may still be a group's name.
    if (target.startsWith('#')) {
      await sendCard(turn, errorCard(refusalText(t, res, target.slice(1))));
      return;
    }
  }
  const resolved = await resolveTarget(turn, { kind: 'any', name: target });
  if ('card' in resolved) {
    await sendCard(turn, resolved.card);
    return;
  }
  await sendCard(turn, principalStatusCard(t, await deps.licenses.status(resolved.query)));
}

/** `pause 12`, `resume 12`, `cancel 12` (Dutch: pauzeer, hervat, annuleer): the request's card, or why not. */
async function control(turn: Turn, action: 'pause' | 'resume' | 'cancel', change: string | undefined): Promise<void> {
  const { t, deps } = turn;
  if (!change) {
    await sendText(turn, t.errors.missingWaveId(action));
    return;
  }
  const id = change.replace(/^#/, '');
  const res =
    action === 'pause' ? await deps.requests.pause(turn.actor, id) : action === 'resume' ? await deps.requests.resume(turn.actor, id) : await deps.requests.cancel(turn.actor, id);
  if (res.ok) {
    const r = res.request;
    const note = action === 'resume' ? t.waves.resumed(md(r.id)) : action === 'pause' && r.state === 'paused' ? t.waves.pauseDone(md(r.id)) : undefined;
    await sendRequestCard(turn, r, note);
    return;
  }
  // Still paused after the check of its remaining people: the card, with what blocks and what to do.
  if (res.reason === 'recheck_blocked' && res.request) {
    await sendRequestCard(turn, res.request, refusalText(t, res, change, action), 'block');
    return;
  }
  await sendCard(turn, errorCard(refusalText(t, res, change, action)));
}

async function undo(turn: Turn, change: string | undefined): Promise<void> {
  const { t, deps } = turn;
  if (!change) {
    await sendText(turn, t.errors.missingUndo);
    return;
  }
  const res = await deps.requests.undo(turn.actor, change, turn.conversationKey);
  if (res.ok) {
    await sendRequestCard(turn, res.request, t.request.undoRequested(md(res.request.id), md(res.request.undoOf ?? change)));
    return;
  }
  if (res.reason === 'blocked' && res.preflight) {
    await sendCard(turn, preflightCard(t, res.preflight));
    return;
  }
  await sendCard(turn, errorCard(refusalText(t, res, change, 'undo')));
}
