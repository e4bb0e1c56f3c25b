// What an undo does not undo.
//   DIRECT_COPIES_NOT_RESTORED  info  undo of a group change that included members' direct copies:
//                                     the undo changes the group only. Members whose direct copy was
//                                     removed get the old plan from the group again but not their
//                                     own copy (nor services it had on beyond the group's); members
//                                     whose own copy was swapped keep the new plan on it.
import { names, type Ctx } from './context';

export function checkUndoNotes(ctx: Ctx): void {
  const notes = ctx.input.spec.directCopiesNotRestored;
  if (!notes || ctx.kind !== 'group') return;
  const removed = Array.isArray(notes.removed) ? notes.removed : [];
  const swapped = Array.isArray(notes.swapped) ? notes.swapped : [];
  if (!removed.length && !swapped.length) return;
  // The undo swaps from the change's target back to its source.
  const oldPlan = ctx.input.target.displayName;
  const newPlan = ctx.input.source.displayName;
  const parts: string[] = [];
  if (removed.length) {
    parts.push(
      `${names(removed)} had ${oldPlan} directly too; that copy was removed and is not put back: they get ${oldPlan} from the group again, with the group's services`,
    );
  }
  if (swapped.length) {
    const one = swapped.length === 1;
    parts.push(`${names(swapped)} keep${one ? 's' : ''} ${newPlan} on their own cop${one ? 'y' : 'ies'}: undo ${one ? 'it for that user' : 'those for them'} separately`);
  }
  ctx.add('DIRECT_COPIES_NOT_RESTORED', 'info', [...removed, ...swapped], `This undo changes the group only. ${parts.join('. ')}.`, {
    removed: removed.length,
    swapped: swapped.length,
  });
}
