// Card actions (Action.Execute -> invoke adaptiveCard/action), routed by verb, teams-ai style:
// the envelope and then the verb's data are validated with zod before a handler runs, so missing
// or forged data gets a clear answer and changes nothing.
import type { InvokeResponse } from '../sdk';
import { z } from 'zod';
import { cardResponse, errorResponse } from '../invoke';
import { errorCard } from '../cards/notice';
import type { Turn } from '../turn';
import { ActionData, VERBS, type ActionDataOf, type Verb } from './data';
import type { ActionHandler, InvokeInfo } from './types';
import { approve, run } from './approve';
import { cancel } from './cancel';
import { guide } from './guide';
import { pause } from './pause';
import { resume } from './resume';
import { preflight } from './preflight';
import { refresh } from './refresh';
import { reject } from './reject';
import { request } from './request';
import { undo } from './undo';
import { reprocess } from './reprocess';
import { split } from './split';
import { allowed, verbAccess } from '../access';
import { expandChoices } from '../choices';
import type { Messages } from '../../i18n';
import type { JobOptions } from '../jobs';

const handlers: { [V in Verb]: ActionHandler<V> } = { preflight, request, approve, run, reject, cancel, pause, resume, undo, refresh, guide, reprocess, split };

const Envelope = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().min(1).max(64),
    data: z.record(z.string(), z.unknown()).nullish(),
  }),
  trigger: z.string().max(32).optional(),
});

export function isVerb(v: string): v is Verb {
  return (VERBS as readonly string[]).includes(v);
}

/** Validates an adaptiveCard/action invoke's value; the error answer when it is malformed. */
export function readEnvelope(
  turn: Pick<Turn, 't'>,
  value: unknown,
): { ok: true; verb: Verb; data: Record<string, unknown>; trigger?: string } | { ok: false; response: InvokeResponse } {
  const env = Envelope.safeParse(value);
  if (!env.success) return { ok: false, response: errorResponse(400, 'BadRequest', turn.t.errors.malformedInvoke) };
  const verb = env.data.action.verb;
  if (!isVerb(verb)) return { ok: false, response: errorResponse(400, 'NotSupported', turn.t.errors.unknownVerb(verb.slice(0, 64))) };
  return { ok: true, verb, data: env.data.action.data ?? {}, ...(env.data.trigger ? { trigger: env.data.trigger } : {}) };
}

export async function onCardAction(turn: Turn, value: unknown): Promise<InvokeResponse> {
  const env = readEnvelope(turn, value);
  if (!env.ok) return env.response;
  if (!(await allowed(turn, verbAccess(env.verb)))) return cardResponse(errorCard(turn.t.refuse.notRequester));
  // A long list of users behind a choice id (src/bot/choices.ts) is put back before validation.
  const expanded = await expandChoices(env.data, turn.choices);
  if (!expanded.ok) return cardResponse(errorCard(turn.t.errors.choiceExpired));
  const parsed = ActionData[env.verb].safeParse(expanded.data);
  if (!parsed.success) {
    turn.log.warn('card.invalid_data', { verb: env.verb, issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) });
    return cardResponse(errorCard(turn.t.errors.badCard));
  }
  const info: InvokeInfo = { ...(turn.ctx.activity.replyToId ? { replyToId: turn.ctx.activity.replyToId } : {}), ...(env.trigger ? { trigger: env.trigger } : {}) };
  const handler = handlers[env.verb] as ActionHandler<Verb>;
  return handler(turn, parsed.data as ActionDataOf<Verb>, info);
}

/** What the progress card says while a click's answer is on its way; only checks may be superseded. */
export function verbJob(t: Messages, verb: string): JobOptions {
  switch (verb) {
    case 'preflight':
    case 'split':
      return { title: t.working.checkingChange, supersedable: true };
    case 'guide':
      return { title: t.working.busy, supersedable: true };
    case 'request':
      return { title: t.working.checkingChange, supersedable: false };
    default:
      // approve, reject, cancel, undo: decisions always finish.
      return { title: t.working.busy, supersedable: false };
  }
}
