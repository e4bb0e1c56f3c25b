// Plumbing for the hostile-input spec: the text of replies and cards, and what a stack trace
// looks like. (The connector look-alike and free ports are in test/helpers.)

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
export const STACK =
  /(\bat\s+(?:async\s+)?[\w.$<>[\]]+\s+\(|\bat\s+(?:async\s+)?(?:file:\/\/)?\/[\w./-]+:\d+|node:internal|\.(?:js|ts):\d+:\d+|\b(?:Type|Reference|Range|Syntax)Error\b|Cannot read propert)/;
