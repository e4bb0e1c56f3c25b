// What each card action may carry, checked with zod before anything else happens. Card data is
// only a view: identity comes from the activity, and every id is looked up again on the server.
import { z } from 'zod';
import type { ChangeSpec, PrincipalQuery } from '../../licensing/model';
import { MAX_PLANS } from '../../licensing/change-plans';

export const VERBS = ['preflight', 'request', 'approve', 'reject', 'run', 'cancel', 'pause', 'resume', 'undo', 'refresh', 'guide', 'reprocess', 'split'] as const;
export type Verb = (typeof VERBS)[number];

const Id = z.string().trim().min(1).max(320);
const PlanName = z.string().trim().min(1).max(200);

export const PrincipalQueryData = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), user: Id }),
  z.object({ kind: z.literal('group'), group: Id }),
  z.object({ kind: z.literal('users'), users: z.array(Id).min(1).max(1000) }),
]);

export const SpecData = z.object({
  principal: PrincipalQueryData,
  from: PlanName.optional(),
  to: PlanName,
  /** Several plans in one change: the targets after `to`, the sources after `from`. */
  alsoTo: z
    .array(PlanName)
    .max(MAX_PLANS - 1)
    .optional(),
  alsoFrom: z
    .array(PlanName)
    .max(MAX_PLANS - 1)
    .optional(),
  includeDirectCopies: z.boolean().optional(),
  // Usage location fixed in the change: the country only (whom is pinned when the request is made).
  setUsageLocation: z.object({ country: z.string().trim().max(40) }).optional(),
  /** Adopt: the group takes over the plan (`to`) its members hold directly; acceptLoss: user ids. */
  adopt: z.object({ acceptLoss: z.array(Id).max(1000).optional() }).optional(),
  /** Waves asked for in the command ("in waves of 50"): the whole setting, defaults filled in. */
  waves: z.object({ pilot: z.number().int().min(1).max(100_000), size: z.number().int().min(1).max(100_000), pauseAtErrorShare: z.number().min(0).max(1) }).optional(),
});
export type SpecData = z.infer<typeof SpecData>;

const RequestId = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1).max(64));
const Version = z.coerce.number().int().min(0).max(1_000_000);
/** The optional reason typed on the card (Input.Text "reason"). */
const Reason = z.string().trim().max(500).optional();

/** A choice value of the principal picker: "user:<id>" or "group:<id>". */
export const PickedPrincipal = z
  .string()
  .trim()
  .regex(/^(user|group):[^\s:][^\s]{0,319}$/)
  .transform((v) => {
    const i = v.indexOf(':');
    return { kind: v.slice(0, i) as 'user' | 'group', id: v.slice(i + 1) };
  });

/** The guided card's extra target pickers (alsoTo1 …): each may be left empty. */
const ExtraTargets = Object.fromEntries(Array.from({ length: MAX_PLANS - 1 }, (_, i) => [`alsoTo${i + 1}`, z.string().trim().max(200).optional()])) as Record<
  `alsoTo${number}`,
  z.ZodOptional<z.ZodString>
>;

/** The extra pickers' values, in order, blanks dropped. */
export function extraTargets(d: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (let i = 1; i < MAX_PLANS; i++) {
    const v = d[`alsoTo${i}`];
    if (typeof v === 'string' && v.trim()) out.push(v.trim());
  }
  return out;
}

export const ActionData = {
  // `to` comes from the guided card's input and may be empty: the handler asks again.
  preflight: SpecData.extend({
    to: z.string().trim().max(200).optional(),
    /** The preflight card's usage location input (the country the admin typed over the offered one). */
    usageLocationCountry: z.string().trim().max(40).optional(),
    ...ExtraTargets,
  }),
  request: z.object({ spec: SpecData }),
  approve: z.object({ requestId: RequestId, version: Version, reason: Reason }),
  run: z.object({ requestId: RequestId, version: Version, reason: Reason }),
  reject: z.object({ requestId: RequestId, version: Version, reason: Reason }),
  cancel: z.union([z.object({ requestId: RequestId, version: Version, reason: Reason }), z.object({ stage: z.literal('preflight') })]),
  pause: z.object({ requestId: RequestId }),
  resume: z.object({ requestId: RequestId, version: Version }),
  undo: z.object({ requestId: RequestId }),
  refresh: z.object({ requestId: RequestId }),
  // Who to reprocess: the members in error are read again on the server, never taken from the card.
  reprocess: z.object({ principal: z.object({ kind: z.enum(['user', 'group']), id: Id }) }),
  guide: z.discriminatedUnion('step', [
    z.object({ step: z.literal('principal') }),
    z.object({ step: z.literal('source'), principal: z.string().max(400).optional(), principalText: z.string().max(256).optional() }),
    z.object({
      step: z.literal('target'),
      principal: z.object({ kind: z.enum(['user', 'group']), id: Id }),
      from: z.string().max(200).optional(),
      // "Add another plan": how many extra pickers, and what was picked so far.
      extra: z.coerce.number().int().min(0).max(MAX_PLANS).optional(),
      to: z.string().trim().max(200).optional(),
      ...ExtraTargets,
    }),
  ]),
  // Teams unbundling: propose the split (or join) for the user or group chosen on a card.
  split: z.object({
    principal: z.discriminatedUnion('kind', [z.object({ kind: z.literal('user'), user: Id }), z.object({ kind: z.literal('group'), group: Id })]),
    direction: z.enum(['split', 'join']),
  }),
} satisfies Record<Verb, z.ZodType>;

export type ActionDataOf<V extends Verb> = z.infer<(typeof ActionData)[V]>;

export function specFromData(d: SpecData): ChangeSpec {
  return {
    principal: d.principal as PrincipalQuery,
    ...(d.from ? { from: d.from } : {}),
    to: d.to,
    ...(d.alsoTo?.length ? { alsoTo: [...d.alsoTo] } : {}),
    ...(d.from && d.alsoFrom?.length ? { alsoFrom: [...d.alsoFrom] } : {}),
    ...(d.includeDirectCopies ? { includeDirectCopies: true } : {}),
    ...(d.setUsageLocation ? { setUsageLocation: { country: d.setUsageLocation.country } } : {}),
    ...(d.adopt ? { adopt: d.adopt.acceptLoss?.length ? { acceptLoss: [...d.adopt.acceptLoss] } : {} } : {}),
    ...(d.waves ? { waves: { ...d.waves } } : {}),
  };
}

/** The spec as a card carries it: resolved ids, so a click means exactly what the card showed. */
export function specToData(spec: ChangeSpec): SpecData {
  return {
    principal: spec.principal,
    ...(spec.from ? { from: spec.from } : {}),
    to: spec.to,
    ...(spec.alsoTo?.length ? { alsoTo: [...spec.alsoTo] } : {}),
    ...(spec.from && spec.alsoFrom?.length ? { alsoFrom: [...spec.alsoFrom] } : {}),
    ...(spec.includeDirectCopies ? { includeDirectCopies: true } : {}),
    ...(spec.setUsageLocation ? { setUsageLocation: { country: spec.setUsageLocation.country } } : {}),
    ...(spec.adopt ? { adopt: spec.adopt.acceptLoss?.length ? { acceptLoss: [...spec.adopt.acceptLoss] } : {} } : {}),
    ...(spec.waves ? { waves: { ...spec.waves } } : {}),
  };
}
