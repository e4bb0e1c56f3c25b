// Helpers for specs of changes run in waves: a users change of n people, fake licenses whose
// read-back shows each wave's people changed (or in error), and a gate that holds a wave in flight.
import type { ChangeSpec, PrincipalRef, ResolvedChange, SwapResult, TrackingReport, WaveSettings } from '../../src/licensing/model';
import type { ChangeRequests } from '../../src/requests/workflow';
import type { ChangeRequest } from '../../src/requests/types';
import { alice, bob, E1, E3, fakeLicenses, preflight, swapResult, trackingReport, user, usersChange } from './fakes';
import { ok } from './harness';

export const people = (n: number): PrincipalRef[] => Array.from({ length: n }, (_, i) => user(i + 1));

export function wavesSpec(n: number, waves?: WaveSettings): ChangeSpec {
  return { principal: { kind: 'users', users: people(n).map((p) => p.userPrincipalName!) }, from: 'E1', to: 'E3', ...(waves ? { waves } : {}) };
}

/** Makes `licenses` answer like Graph for waves: every call accepted unless refused, the read-back shows them. */
export function wavesLicenses(licenses: ReturnType<typeof fakeLicenses>, opts: { refuse?: string[]; inError?: string[] } = {}): void {
  licenses.swap.callsFake(async (c: ResolvedChange): Promise<SwapResult> => swapResult(c, opts.refuse ?? []));
  licenses.track.callsFake(async (c: ResolvedChange): Promise<TrackingReport> =>
    trackingReport({
      done: c.assignments.map((a) => a.principal).filter((p) => !(opts.refuse ?? []).includes(p.id) && !(opts.inError ?? []).includes(p.id)),
      errors: c.assignments
        .map((a) => a.principal)
        .filter((p) => (opts.inError ?? []).includes(p.id))
        .map((p) => ({ principal: p, error: 'CountViolation', message: 'Not enough licenses: buy more or free some up, then reprocess.' })),
    }),
  );
  // A read-back (after a crash) sees E3 held directly and E1 gone for everyone not refused.
  licenses.status.callsFake(async (q: { kind: string; user?: string }) => ({
    principal: { kind: 'user', id: q.user!, displayName: q.user! },
    licenses: (opts.refuse ?? []).includes(q.user!) ? [{ plan: E1, assignedByGroup: null, disabledPlans: [] }] : [{ plan: E3, assignedByGroup: null, disabledPlans: [] }],
  }));
}

/** The ids each swap call sent, in order. */
export function sentWaves(licenses: ReturnType<typeof fakeLicenses>): string[][] {
  return licenses.swap.getCalls().map((c) => (c.args[0] as ResolvedChange).assignments.map((a) => a.principal.id));
}

/** A promise the spec resolves when it wants (holds a wave in flight). */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/** Asks (Alice) and approves (Bob) a users change of n people; resolves when the run has stopped (finished or paused) unless `wait` is false. */
export async function askAndApprove(wf: ChangeRequests, licenses: ReturnType<typeof fakeLicenses>, n: number, waves?: WaveSettings): Promise<ChangeRequest> {
  const pf = preflight(usersChange(people(n)));
  licenses.preflight.callsFake(async () => structuredClone(pf));
  const r = ok(await wf.request(alice, wavesSpec(n, waves), pf, 'conv-1'));
  return ok(await wf.approve(bob, r.id));
}
