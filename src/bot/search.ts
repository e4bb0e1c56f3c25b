// Type-ahead search (invoke application/search) for the guided card's principal picker
// (Input.ChoiceSet, choices.data Data.Query dataset "principals").
import type { InvokeResponse } from './sdk';
import { z } from 'zod';
import type { Turn } from './turn';
import { errorResponse, searchResponse } from './invoke';
import { matchLabel } from './names';
import { plain } from './cards/render';

export const DATASETS = ['principals'] as const;

const SearchValue = z.object({
  queryText: z.string().max(256).optional().default(''),
  dataset: z.string().max(64).optional(),
  queryOptions: z
    .object({ skip: z.coerce.number().int().min(0).max(1000).optional(), top: z.coerce.number().int().min(1).max(50).optional() })
    .partial()
    .optional(),
});

export async function onSearch(turn: Turn, value: unknown): Promise<InvokeResponse> {
  const parsed = SearchValue.safeParse(value ?? {});
  if (!parsed.success) return errorResponse(400, 'BadRequest', turn.t.errors.malformedInvoke);
  const { queryText, dataset } = parsed.data;
  if (dataset && !(DATASETS as readonly string[]).includes(dataset)) return errorResponse(400, 'NotSupported', turn.t.errors.malformedInvoke);
  const top = parsed.data.queryOptions?.top ?? 15;
  const skip = parsed.data.queryOptions?.skip ?? 0;
  const q = queryText.trim();
  if (!q) return searchResponse([]);
  const matches = await turn.deps.licenses.findPrincipals(q, { top: Math.min(50, skip + top) });
  return searchResponse(
    matches.slice(skip, skip + top).map((m) => ({
      title: plain(`${matchLabel(m)}${m.kind === 'group' ? ` — ${turn.t.common.group}` : ''}`),
      value: `${m.kind}:${m.id}`,
    })),
  );
}
