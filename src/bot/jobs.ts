// No turn waits on Graph. Teams gives a message turn about 15 s and a card click 5 s, and with
// real Graph a 30,000-member preflight takes longer than either. So every turn's work runs as a
// job:
//
//   - a message turn (the HTTP request) is answered at once (`messageWithinMs`, 0): nothing the
//     admin sees travels in the HTTP answer of a message, so holding it only risks Teams' clock;
//   - a card click waits at most `answerWithinMs` for its answer, which travels in the invoke's
//     HTTP answer and replaces the clicked card;
//   - otherwise the job goes on in the background, speaking through the adapter's proactive path
//     (the turn context is gone). An answer ready by `directWithinMs` comes directly, as it is;
//     after that a progress card ("Checking Sales…", "12,000 of about 30,000 members read") is
//     posted, updated in place every `progressEveryMs`, and finally replaced by the answer;
//   - a card click that is not answered in time is answered with the progress card (it replaces
//     the clicked card), which is then updated and replaced the same way;
//   - one job per chat: a newer command there supersedes an unfinished check (it is stopped and
//     its progress card says so). Jobs in different chats run side by side.
//
// Log events (for the bench): turn.answered { kind, ms, background }, turn.progress_shown { ms },
// turn.result_shown { ms }, turn.superseded.
import type { Activity, InvokeResponse, TurnContext } from './sdk';
import type { ReadProgress } from '../licensing/model';
import type { Conversations } from './conversations';
import type { Logger } from './deps';
import type { Messages } from '../i18n';
import { CARD_TYPE, ERROR_TYPE, cardResponse } from './invoke';
import { cardAttachment, type AdaptiveCard } from './cards/render';
import { errorCard, noticeCard } from './cards/notice';
import { progressCard, supersededCard } from './cards/progress';

export interface JobTiming {
  /** A card click's turn returns after at most this long; the work goes on in the background. */
  answerWithinMs: number;
  /**
   * A message turn waits at most this long for its answer to send it in the turn (0: it returns at
   * once and every answer is posted proactively; the specs raise it to read answers in the turn).
   */
  messageWithinMs: number;
  /** A background answer ready by then (from the start) is posted as it is, with no progress card. */
  directWithinMs: number;
  /** How often the progress card is brought up to date (Teams shows no spinner of its own). */
  progressEveryMs: number;
}

export const DEFAULT_TIMING: JobTiming = { answerWithinMs: 500, messageWithinMs: 0, directWithinMs: 1_500, progressEveryMs: 3_000 };

/** What a job's work uses to speak and to report progress. */
export interface JobIO {
  /** Posts an activity: in the turn while it lasts, then proactively (the first one replaces the progress card). */
  send(activity: Partial<Activity>): Promise<string | undefined>;
  /** Members read so far (the progress card shows it). */
  progress(p: ReadProgress): void;
  /** Aborted when a newer command in the chat supersedes this job. */
  signal: AbortSignal;
}

export interface JobOptions {
  /** The progress card's title until progress names the group ("Checking Sales…"); markdown-safe. */
  title: string;
  /** Read-only work a newer command may stop. Changes (request, undo, approve…) always finish. */
  supersedable: boolean;
  /** When the turn began (ms epoch): the budget counts from there, the gate's look-up included. */
  startedAt?: number;
}

interface JobEnv {
  conv: Conversations;
  log: Logger;
  timing: JobTiming;
  later(what: string, task: () => Promise<void>): void;
}

type Phase = 'turn' | 'background' | 'done' | 'superseded';

class Job implements JobIO {
  phase: Phase = 'turn';
  readonly started: number;
  readonly signal: AbortSignal;
  private readonly abort = new AbortController();
  private out: Promise<unknown> = Promise.resolve();
  /** The activity that shows this job's progress card (posted by it, or the clicked card). */
  private progressId: string | undefined;
  private replaced = false;
  private sent = 0;
  private latest: ReadProgress | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private superseded!: () => void;
  readonly whenSuperseded = new Promise<'superseded'>((resolve) => {
    this.superseded = () => resolve('superseded');
  });

  constructor(
    readonly key: string,
    private readonly ctx: TurnContext,
    private readonly t: Messages,
    readonly opts: JobOptions,
    private readonly env: JobEnv,
  ) {
    this.signal = this.abort.signal;
    this.started = opts.startedAt ?? Date.now();
  }

  private ms(): number {
    return Date.now() - this.started;
  }

  /** Output in order: a send, a progress post and a supersede never interleave. */
  private serial<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    const p = this.out.then(fn).catch((err) => {
      this.env.log.warn('turn.output_failed', { what, error: err instanceof Error ? err.message : String(err) });
      return undefined;
    });
    this.out = p;
    return p;
  }

  send = (activity: Partial<Activity>): Promise<string | undefined> =>
    this.serial('send', async () => {
      if (this.phase === 'superseded') return undefined;
      this.sent++;
      if (this.phase === 'turn') return (await this.ctx.sendActivity(activity))?.id;
      let id: string | undefined;
      if (this.progressId && !this.replaced) {
        this.replaced = true;
        await this.env.conv.replace(this.key, this.progressId, asCardActivity(activity));
        id = this.progressId;
      } else id = await this.env.conv.send(this.key, activity);
      this.env.log.info('turn.result_shown', { ms: this.ms(), replaced: id === this.progressId });
      return id;
    });

  progress = (p: ReadProgress): void => {
    this.latest = { ...p };
  };

  private card(): AdaptiveCard {
    return progressCard(this.t, { title: this.opts.title, ...(this.latest ? { progress: this.latest } : {}), elapsedMs: this.ms() });
  }

  /** The turn's time is up: from now on output goes through the proactive path. */
  async detach(progressId?: string): Promise<void> {
    await this.serial('detach', async () => {
      if (this.phase !== 'turn') return;
      this.phase = 'background';
      this.progressId = progressId;
    });
    if (this.phase !== 'background') return;
    const { timing } = this.env;
    if (!progressId) this.timers.push(setTimeout(() => void this.showProgress(), Math.max(0, timing.directWithinMs - this.ms())));
    const every = setInterval(() => void this.updateProgress(), Math.max(100, timing.progressEveryMs));
    this.timers.push(every);
  }

  /** The card a click is answered with when its answer is not ready in time. */
  invokeProgress(): InvokeResponse {
    this.env.log.info('turn.progress_shown', { ms: this.ms(), in: 'invoke' });
    return cardResponse(this.card());
  }

  private showProgress(): Promise<unknown> {
    return this.serial('progress', async () => {
      if (this.phase !== 'background' || this.sent || this.progressId) return;
      this.progressId = await this.env.conv.send(this.key, { type: 'message', attachments: [cardAttachment(this.card())] });
      this.env.log.info('turn.progress_shown', { ms: this.ms() });
    });
  }

  private updateProgress(): Promise<unknown> {
    return this.serial('progress', async () => {
      if (this.phase !== 'background' || !this.progressId || this.replaced) return;
      await this.env.conv.replace(this.key, this.progressId, { type: 'message', attachments: [cardAttachment(this.card())] });
    });
  }

  /** An invoke answered late: the clicked card (or a new message) becomes the answer's card. */
  deliver(response: InvokeResponse): Promise<unknown> {
    const body = response.body as { type?: string; value?: unknown } | undefined;
    let card: AdaptiveCard | undefined;
    if (body?.type === CARD_TYPE) card = body.value as AdaptiveCard;
    else if (body?.type === ERROR_TYPE) card = errorCard(String((body.value as { message?: unknown })?.message ?? this.t.errors.generic));
    if (!card) return Promise.resolve();
    return this.send({ type: 'message', attachments: [cardAttachment(card)] });
  }

  finish(): Promise<unknown> {
    return this.serial('finish', async () => {
      for (const t of this.timers) clearTimeout(t);
      if (this.phase === 'turn' || this.phase === 'background') this.phase = 'done';
    });
  }

  /** A newer command in the chat took over: stop, and say so on the progress card. */
  supersede(): Promise<unknown> {
    return this.serial('supersede', async () => {
      if (this.phase === 'done' || this.phase === 'superseded') return;
      this.phase = 'superseded';
      for (const t of this.timers) clearTimeout(t);
      this.abort.abort();
      this.superseded();
      this.env.log.info('turn.superseded', { ms: this.ms() });
      if (this.progressId && !this.replaced) {
        this.replaced = true;
        await this.env.conv.replace(this.key, this.progressId, { type: 'message', attachments: [cardAttachment(supersededCard(this.t, this.title()))] });
      }
    });
  }

  private title(): string {
    return this.latest?.name ? this.t.working.checking(this.latest.name) : this.opts.title;
  }
}

/** A text answer replacing a card is shown as a card (an update keeps the message's kind). */
function asCardActivity(activity: Partial<Activity>): Partial<Activity> {
  if (activity.attachments?.length || !activity.text) return activity;
  return { type: 'message', attachments: [cardAttachment(noticeCard({ text: activity.text }))] };
}

/** The jobs of every chat: at most one unfinished job per chat. */
export class Jobs {
  private readonly current = new Map<string, Job>();

  constructor(private readonly env: JobEnv) {}

  private start(key: string, ctx: TurnContext, t: Messages, opts: JobOptions): Job {
    const previous = this.current.get(key);
    if (previous && previous.opts.supersedable && (previous.phase === 'turn' || previous.phase === 'background')) {
      // Not awaited: the old job's output queue must not hold up this turn.
      this.env.later('supersede an unfinished check', () => previous.supersede().then(() => undefined));
    }
    const job = new Job(key, ctx, t, opts, this.env);
    this.current.set(key, job);
    return job;
  }

  private end(job: Job): void {
    if (this.current.get(job.key) === job) this.current.delete(job.key);
  }

  /** A message turn: `work` speaks through `io.send`; the turn ends within messageWithinMs (at once by default). */
  async message(key: string, ctx: TurnContext, t: Messages, opts: JobOptions, work: (io: JobIO) => Promise<void>): Promise<void> {
    const job = this.start(key, ctx, t, opts);
    const within = this.env.timing.messageWithinMs;
    // Answered at once: detached before the work starts, so every answer goes the proactive way.
    if (within <= 0) await job.detach();
    const done = work(job).catch((err) => this.env.log.error('turn.job_failed', { error: err instanceof Error ? err.message : String(err) }));
    const first = within <= 0 ? 'late' : await Promise.race([done.then(() => 'done' as const), this.timer(job, within), job.whenSuperseded]);
    if (first === 'done') {
      await job.finish();
      this.end(job);
      this.env.log.info('turn.answered', { kind: 'message', ms: Date.now() - job.started, background: false });
      return;
    }
    if (within > 0) await job.detach();
    this.env.log.info('turn.answered', { kind: 'message', ms: Date.now() - job.started, background: true });
    this.env.later('finish an answer in the background', async () => {
      await done;
      await job.finish();
      this.end(job);
    });
  }

  /** A card click: its answer if ready within answerWithinMs, else the progress card (and the answer later). */
  async invoke(key: string, ctx: TurnContext, t: Messages, opts: JobOptions & { replyToId?: string }, work: (io: JobIO) => Promise<InvokeResponse>): Promise<InvokeResponse> {
    const job = this.start(key, ctx, t, opts);
    const done = work(job);
    const first = await Promise.race([
      done.then(
        () => 'done' as const,
        () => 'done' as const,
      ),
      this.timer(job, this.env.timing.answerWithinMs),
      job.whenSuperseded,
    ]);
    if (first === 'done') {
      await job.finish();
      this.end(job);
      this.env.log.info('turn.answered', { kind: 'invoke', ms: Date.now() - job.started, background: false });
      return done;
    }
    await job.detach(opts.replyToId);
    const answer = job.phase === 'superseded' ? cardResponse(supersededCard(t, opts.title)) : job.invokeProgress();
    this.env.log.info('turn.answered', { kind: 'invoke', ms: Date.now() - job.started, background: true });
    this.env.later('finish a card answer in the background', async () => {
      try {
        await job.deliver(await done);
      } finally {
        await job.finish();
        this.end(job);
      }
    });
    return answer;
  }

  private timer(job: Job, withinMs: number): Promise<'late'> {
    const left = Math.max(0, withinMs - (Date.now() - job.started));
    return new Promise((resolve) => setTimeout(resolve, left, 'late' as const).unref?.());
  }
}
