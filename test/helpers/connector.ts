// A Bot Framework connector look-alike on 127.0.0.1 for tests and benchmarks that run the bot:
// it records what the bot posts (replies, card updates) and answers as the Bot Connector would.
import http from 'node:http';

export interface Posted {
  method: string;
  conversationId: string;
  /** The activity id in the path: the one replied to (POST) or updated (PUT). */
  activityId?: string;
  /** The activity the bot sent. */
  activity: Record<string, any>;
  at: number;
}

export interface Connector {
  url: string;
  posted: Posted[];
  /** Everything posted into one conversation. */
  to(conversationId: string): Posted[];
  /** Resolves when `count` activities reached the conversation (or after `timeoutMs`). */
  waitFor(conversationId: string, count: number, timeoutMs?: number): Promise<Posted[]>;
  close(): Promise<void>;
}

/** POST/PUT /v3/conversations/{id}/activities[/{activityId}]: recorded and answered { id }. */
export async function startConnector(opts: { onPosted?: (p: Posted) => void } = {}): Promise<Connector> {
  const posted: Posted[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
      if (!m) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"NotFound"}}');
        return;
      }
      let activity: Record<string, any> = {};
      try {
        activity = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        /* recorded empty */
      }
      const p: Posted = { method: req.method ?? '?', conversationId: decodeURIComponent(m[1]!), activity, at: Date.now() };
      if (m[2]) p.activityId = decodeURIComponent(m[2]);
      posted.push(p);
      opts.onPosted?.(p);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: req.method === 'PUT' ? m[2] : `reply-${++n}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const to = (id: string) => posted.filter((p) => p.conversationId === id);
  return {
    url: `http://127.0.0.1:${port}/`,
    posted,
    to,
    async waitFor(id, count, timeoutMs = 5_000) {
      const end = Date.now() + timeoutMs;
      while (to(id).length < count && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      return to(id);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

/** A progress card (src/bot/jobs.ts): the bot answers it later by updating the same activity. */
export const PROGRESS_CARD = /Still working: |Nog bezig: /;

/**
 * A click answered with a progress card (its answer was not ready within the turn's budget, as
 * happens on a busy machine): the card the clicked activity `replyToId` was updated with once the
 * answer was there. Any other answer is returned as it is.
 */
export async function settledInvokeAnswer(connector: Connector, conversationId: string, replyToId: string | undefined, answer: any, timeoutMs = 30_000): Promise<any> {
  if (!PROGRESS_CARD.test(JSON.stringify(answer?.value ?? ''))) return answer;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const update = connector
      .to(conversationId)
      .filter((p) => (replyToId ? p.method === 'PUT' && p.activityId === replyToId : true) && !PROGRESS_CARD.test(JSON.stringify(p.activity)))
      .at(-1);
    const card = update?.activity.attachments?.[0]?.content;
    if (card) return { ...answer, value: card };
    if (Date.now() > end) throw new Error(`no answer replaced the progress card of ${replyToId ?? 'the click'} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * What the bot said in a conversation once at least one thing was said and no progress card is
 * left waiting for its answer (a progress card is later updated in place with the answer).
 */
export async function settledReplies(connector: Connector, conversationId: string, timeoutMs = 30_000): Promise<Posted[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const said = connector.to(conversationId);
    const last = said.at(-1);
    if (last && !PROGRESS_CARD.test(JSON.stringify(last.activity))) return said;
    if (Date.now() > end) return said;
    await new Promise((r) => setTimeout(r, 20));
  }
}
