// The Teams bot: one gate for every activity (tenant, then the person), then one file per family
// of activities: messages.ts (chat commands), actions/ (card actions by verb), search.ts
// (type-ahead). Invokes are always answered, with a proper error when malformed.
import { StoredChoices, type ChoiceStore } from './choices';
import { clickLang, outgoingCard } from './card-data';
import { ActivityTypes, TeamsActivityHandler, type InvokeResponse, type TurnContext } from './sdk';
import type { PrincipalRef } from '../licensing/model';
import type { Actor } from '../requests/types';
import { consoleLogger, type BotDeps, type Logger } from './deps';
import { convKey, type Conversations } from './conversations';
import { licensingErrorSentence, messagesFor, pickLang, type ExplainableError, type Messages } from '../i18n';
import { parseCommand, type Lang } from './parser';
import { activityTenant, type Turn } from './turn';
import { cardResponse, errorResponse } from './invoke';
import { commandJob, onCommand } from './messages';
import { onCardAction, verbJob } from './actions';
import { activityKey, MemoryDedupe, type ActivityDedupe } from './dedupe';
import { DEFAULT_TIMING, Jobs } from './jobs';
import { onSearch } from './search';
import { errorCard } from './cards/notice';
import { cardAttachment } from './cards/render';
import { isLicensingError } from './error-card';
import { md } from './cards/render';
import { allowed } from './access';
import { onInstallation } from './installation';
// Log fields take the logger's errorText ("Name: message", first line only), as every log line does.
import { errorText } from '../log';

const PERSON_TTL_MS = 5 * 60_000;
/** Longest chat message read as a command. */
export const MAX_TEXT_CHARS = 2_000;
const UNKNOWN_PERSON_TTL_MS = 30_000;
/** Invoke answers kept for a retried click (same activity id): Teams retries within seconds. */
const INVOKE_ANSWERS_KEPT = 500;

type Gate = { ok: true; actor: Actor; person: PrincipalRef } | { ok: false; why: 'tenant' | 'identity' | 'unknown' | 'error'; error?: ExplainableError };

export class PlanSwitchBot extends TeamsActivityHandler {
  readonly conv: Conversations;
  private readonly log: Logger;
  private readonly people = new Map<string, { person: PrincipalRef | null; until: number }>();
  private readonly tasks = new Set<Promise<void>>();
  private readonly jobs: Jobs;
  private readonly dedupe: ActivityDedupe;
  private readonly invokeAnswers = new Map<string, Promise<InvokeResponse>>();

  private readonly choices: ChoiceStore;

  constructor(private readonly deps: BotDeps) {
    super();
    this.log = deps.log ?? consoleLogger;
    this.conv = deps.conversations;
    // In the conversation store: a card's button works after a restart and on every instance.
    this.choices = deps.choices ?? new StoredChoices(this.conv.store, { log: this.log, now: () => this.now() });
    this.dedupe = deps.dedupe ?? new MemoryDedupe();
    this.jobs = new Jobs({ conv: this.conv, log: this.log, timing: { ...DEFAULT_TIMING, ...deps.timing }, later: (what, task) => this.later(what, task) });
  }

  /** Resolves when every background task (card updates, notices) started so far has finished. */
  async whenIdle(): Promise<void> {
    while (this.tasks.size) await Promise.allSettled([...this.tasks]);
  }

  protected override async onTurnActivity(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    switch (a.type) {
      case ActivityTypes.Message:
        if (!(await this.firstDelivery(a))) return;
        return this.message(ctx);
      case ActivityTypes.Invoke: {
        // A retried click gets the answer the first one got (or is getting), not a second run.
        const key = activityKey(a);
        let answer = key ? this.invokeAnswers.get(key) : undefined;
        if (answer) this.log.info('turn.duplicate', { kind: 'invoke' });
        else {
          answer = this.invoke(ctx).catch((err) => {
            this.log.error('invoke.failed', { name: a.name, error: errorText(err) });
            return errorResponse(500, 'InternalError', messagesFor(pickLang(undefined, a.locale)).errors.generic);
          });
          if (key) {
            this.invokeAnswers.set(key, answer);
            if (this.invokeAnswers.size > INVOKE_ANSWERS_KEPT) this.invokeAnswers.delete(this.invokeAnswers.keys().next().value!);
          }
        }
        await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: await answer });
        return;
      }
      case ActivityTypes.ConversationUpdate:
      case ActivityTypes.InstallationUpdate:
        return this.installed(ctx);
      default:
        return;
    }
  }

  /** False for a message Teams delivered again (same conversation and activity id). */
  private async firstDelivery(a: TurnContext['activity']): Promise<boolean> {
    const key = activityKey(a);
    if (!key) return true;
    try {
      if (await this.dedupe.firstSeen(key)) return true;
    } catch (err) {
      // A dedupe store that cannot answer must not silence the bot: handle it (the workflow's
      // compare-and-set still keeps every change to one run).
      this.log.warn('turn.dedupe_failed', { error: errorText(err) });
      return true;
    }
    this.log.info('turn.duplicate', { kind: 'message' });
    return false;
  }

  private now(): number {
    return (this.deps.now?.() ?? new Date()).getTime();
  }

  /** Tenant first, then the person: the sandbox user (or directory user) whose id is from.aadObjectId. */
  private async gate(ctx: TurnContext): Promise<Gate> {
    const a = ctx.activity;
    const tenant = activityTenant(a);
    if (!tenant || tenant.toLowerCase() !== this.deps.tenantId.toLowerCase()) return { ok: false, why: 'tenant' };
    const aad = a.from?.aadObjectId?.trim();
    if (!aad) return { ok: false, why: 'identity' };
    const key = aad.toLowerCase();
    const cached = this.people.get(key);
    let person: PrincipalRef | null;
    if (cached && cached.until > this.now()) person = cached.person;
    else {
      try {
        person = await this.deps.licenses.resolveUser(aad);
      } catch (err) {
        this.log.error('gate.lookup_failed', { error: errorText(err) });
        return { ok: false, why: 'error', ...(isLicensingError(err) ? { error: err } : {}) };
      }
      // Only an exact object-id match counts: a UPN typed into aadObjectId is not an identity.
      if (person && person.id.toLowerCase() !== key) person = null;
      this.people.set(key, { person, until: this.now() + (person ? PERSON_TTL_MS : UNKNOWN_PERSON_TTL_MS) });
    }
    if (!person) return { ok: false, why: 'unknown' };
    return { ok: true, person, actor: { id: person.id, tenantId: tenant, name: person.displayName } };
  }

  private refusal(t: Messages, gate: Extract<Gate, { ok: false }>): string {
    switch (gate.why) {
      case 'tenant':
        return t.refuse.otherTenant;
      case 'identity':
        return t.refuse.noIdentity;
      case 'unknown':
        return t.refuse.unknownPerson;
      default:
        // The license service's error (Graph did not answer) as the tables say it.
        return gate.error ? licensingErrorSentence(t, gate.error, { esc: md }) : t.errors.generic;
    }
  }

  private turn(ctx: TurnContext, gate: Extract<Gate, { ok: true }>, lang: Lang): Turn {
    return {
      ctx,
      deps: this.deps,
      conv: this.conv,
      log: this.log,
      actor: gate.actor,
      person: gate.person,
      lang,
      t: messagesFor(lang),
      conversationKey: convKey(ctx.activity.conversation.id),
      choices: this.choices,
      later: (what, task) => this.later(what, task),
      // In the turn until a job takes the turn over (jobs.ts).
      send: async (activity) => (await ctx.sendActivity(activity))?.id,
      progress: () => undefined,
      signal: new AbortController().signal,
    };
  }

  private later(what: string, task: () => Promise<void>): void {
    const p = Promise.resolve()
      .then(task)
      .catch((err) => this.log.warn('background.failed', { what, error: errorText(err) }));
    this.tasks.add(p);
    void p.finally(() => this.tasks.delete(p));
  }

  private async message(ctx: TurnContext): Promise<void> {
    const startedAt = Date.now();
    const a = ctx.activity;
    const raw = typeof a.text === 'string' ? a.text : '';
    // A command is a line or two; a wall of text is answered without being parsed.
    const tooLong = raw.length > MAX_TEXT_CHARS;
    const parsed = parseCommand(tooLong ? '' : raw);
    const lang = pickLang(parsed.lang, a.locale);
    const t = messagesFor(lang);
    const gate = await this.gate(ctx);
    if (!gate.ok) {
      this.log.warn('activity.refused', { why: gate.why, tenant: activityTenant(a), from: a.from?.aadObjectId });
      await ctx.sendActivity(this.refusal(t, gate));
      return;
    }
    // Stored while the command runs (this instance's reads of those keys wait for it); awaited
    // before the turn ends, so another instance sending the next notice finds it.
    const remembered = this.conv.remember(a, lang);
    try {
      if (tooLong) {
        await ctx.sendActivity(t.errors.tooLong(raw.length, MAX_TEXT_CHARS));
        return;
      }
      const turn = this.turn(ctx, gate, lang);
      await this.jobs.message(turn.conversationKey, ctx, t, { ...commandJob(t, parsed.command), startedAt }, async (io) => {
        Object.assign(turn, { send: io.send, progress: io.progress, signal: io.signal });
        try {
          await onCommand(turn, parsed.command);
        } catch (err) {
          if (io.signal.aborted) return;
          this.log.error('message.failed', { error: errorText(err) });
          await turn.send({ attachments: [cardAttachment(errorCard(t.errors.generic))] });
        }
      });
    } finally {
      await remembered;
    }
  }

  private async invoke(ctx: TurnContext): Promise<InvokeResponse> {
    const startedAt = Date.now();
    const a = ctx.activity;
    // A click answers in the clicked card's language; the client's locale otherwise.
    const lang = clickLang(a.value) ?? pickLang(undefined, a.locale);
    const t = messagesFor(lang);
    if (a.name !== 'adaptiveCard/action' && a.name !== 'application/search') {
      return errorResponse(a.name ? 501 : 400, a.name ? 'NotSupported' : 'BadRequest', t.errors.malformedInvoke);
    }
    const gate = await this.gate(ctx);
    if (!gate.ok) {
      this.log.warn('invoke.refused', { why: gate.why, tenant: activityTenant(a), from: a.from?.aadObjectId });
      if (a.name === 'application/search') return errorResponse(403, 'Forbidden', this.refusal(t, gate));
      return cardResponse(errorCard(this.refusal(t, gate)));
    }
    await this.conv.remember(a, lang);
    const turn = this.turn(ctx, gate, lang);
    if (a.name === 'application/search') {
      if (!(await allowed(turn, 'change'))) return errorResponse(403, 'Forbidden', t.refuse.notRequester);
      return onSearch(turn, a.value);
    }
    // Buttons of the card sent back carry choice ids, not long lists, and the card's language.
    const act = async (): Promise<InvokeResponse> => {
      const res = await onCardAction(turn, a.value);
      return res.body ? { ...res, body: await outgoingCard(res.body, this.choices, lang) } : res;
    };
    // A refresh (Teams asks for it by itself) is a read of the store: answered as it is, and it
    // never stops a check. Every other click runs as a job.
    const action = (a.value as { action?: { verb?: unknown }; trigger?: unknown } | undefined) ?? {};
    const verb = typeof action.action?.verb === 'string' ? action.action.verb : '';
    if (verb === 'refresh' || action.trigger === 'automatic') return act();
    const replyToId = a.replyToId;
    return this.jobs.invoke(turn.conversationKey, ctx, t, { ...verbJob(t, verb), startedAt, ...(replyToId ? { replyToId } : {}) }, (io) => {
      Object.assign(turn, { send: io.send, progress: io.progress, signal: io.signal });
      return act().catch((err) => {
        this.log.error('invoke.failed', { name: a.name, verb, error: errorText(err) });
        return errorResponse(500, 'InternalError', t.errors.generic);
      });
    });
  }

  private async installed(ctx: TurnContext): Promise<void> {
    await onInstallation(ctx, { deps: this.deps, conv: this.conv, log: this.log, later: (what, task) => this.later(what, task) });
  }
}
