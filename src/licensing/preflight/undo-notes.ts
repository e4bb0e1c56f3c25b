// What an undo does not undo.
//   DIRECT_COPIES_NOT_RESTORED  info  undo of a group change that included members' direct copies:
//                                     the undo changes the group only. Members whose direct copy was
//                                     removed get the old plan from the group again but not their
//                                     own copy (nor services it had on beyond the group's); members
//                                     whose own copy was swapped keep the new plan on it.
//   USAGE_LOCATION_KEPT         info  undo of a change that set usage locations: they stay set
//                                     (an empty usage location would only break licenses).
import { countryCode } from '../../reference/countries';
import { countryName, type Ctx } from './context';

export function checkUndoNotes(ctx: Ctx): void {
  const kept = ctx.input.spec.usageLocationKept;
  const keptUsers = kept && Array.isArray(kept.users) ? kept.users.filter((p) => p && typeof p.id === 'string') : [];
  const keptCountry = kept ? countryCode(kept.country) : undefined;
  if (keptUsers.length && keptCountry) {
    ctx.add('USAGE_LOCATION_KEPT', 'info', keptUsers, { count: keptUsers.length, country: keptCountry, countryName: countryName(keptCountry) });
  }
  const notes = ctx.input.spec.directCopiesNotRestored;
  if (!notes || ctx.kind !== 'group') return;
  const removed = Array.isArray(notes.removed) ? notes.removed : [];
  const swapped = Array.isArray(notes.swapped) ? notes.swapped : [];
  if (!removed.length && !swapped.length) return;
  ctx.add('DIRECT_COPIES_NOT_RESTORED', 'info', [...removed, ...swapped], { removed: removed.length, swapped: swapped.length });
}
