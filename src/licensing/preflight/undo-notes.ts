// What an undo does not undo.
//   DIRECT_COPIES_NOT_RESTORED  info  undo of a group change that included members' direct copies:
//                                     the undo changes the group only. Members whose direct copy was
//                                     removed get the old plan from the group again but not their
//                                     own copy (nor services it had on beyond the group's); members
//                                     whose own copy was swapped keep the new plan on it.
import type { Ctx } from './context';

export function checkUndoNotes(ctx: Ctx): void {
  const notes = ctx.input.spec.directCopiesNotRestored;
  if (!notes || ctx.kind !== 'group') return;
  const removed = Array.isArray(notes.removed) ? notes.removed : [];
  const swapped = Array.isArray(notes.swapped) ? notes.swapped : [];
  if (!removed.length && !swapped.length) return;
  ctx.add('DIRECT_COPIES_NOT_RESTORED', 'info', [...removed, ...swapped], { removed: removed.length, swapped: swapped.length });
}
