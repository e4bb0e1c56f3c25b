// Plumbing for the hostile-input spec: a Bot Framework connector look-alike on 127.0.0.1 that
// records what the bot posts (replies, card updates), free ports, text of replies and cards, and
// what a stack trace looks like.
import http from 'node:http';
import { createServer as netServer } from 'node:net';

export interface Posted {
  method: string;
  conversationId: string;
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
export async function startConnector(): Promise<Connector> {
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
      posted.push({ method: req.method ?? '?', conversationId: decodeURIComponent(m[1]!), activity, at: Date.now() });
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

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = netServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Every text of a card (TextBlock, FactSet, titles, choices), joined. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      for (const k of ['text', 'title', 'value', 'placeholder']) if (typeof o[k] === 'string') out.push(o[k] as string);
      for (const [k, v] of Object.entries(o)) if (k !== 'data') walk(v);
    }
  };
  walk(card);
  return out.join('\n');
}

/** What a person sees of an activity the bot sent: its text and the text of its cards. */
export function activityText(a: Record<string, any>): string {
  const parts: string[] = [];
  if (typeof a.text === 'string') parts.push(a.text);
  for (const att of a.attachments ?? []) parts.push(cardText(att.content));
  return parts.join('\n');
}

/** What a leaked stack trace or runtime error looks like. */
export const STACK = /(\bat\s+(?:async\s+)?[\w.$<>[\]]+\s+\(|\bat\s+(?:async\s+)?(?:file:\/\/)?\/[\w./-]+:\d+|node:internal|\.(?:js|ts):\d+:\d+|\b(?:Type|Reference|Range|Syntax)Error\b|Cannot read propert)/;
