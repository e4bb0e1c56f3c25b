// What kind of group it is (group swaps only).
//   GROUP_NOT_SECURITY  block  securityEnabled false: only security-enabled groups can hold licenses.
//   GROUP_SYNCED        info   membership is managed on-premises and syncs with a delay; the bot
//                              doesn't change membership anyway.
//   GROUP_DYNAMIC       info   membership follows a rule (quoted); the swap works the same.
//   NESTED_GROUPS       warn   group licensing reaches direct members only: nested groups' members
//                              get nothing from this group (named).
import type { Ctx } from './context';

export function checkGroupKind(ctx: Ctx): void {
  const subject = ctx.input.subject;
  if (subject.kind !== 'group') return;
  const g = subject.group;
  const me = [ctx.change.principal];
  if (g.securityEnabled === false) {
    ctx.add('GROUP_NOT_SECURITY', 'block', me, { groupTypes: [...(g.groupTypes ?? [])] });
  }
  if (g.onPremisesSyncEnabled === true) {
    ctx.add('GROUP_SYNCED', 'info', me);
  }
  if ((g.groupTypes ?? []).some((t) => t.toLowerCase() === 'dynamicmembership')) {
    const rule = g.membershipRule ?? '';
    ctx.add('GROUP_DYNAMIC', 'info', me, { membershipRule: rule || null });
  }
  if (subject.nestedGroups.length) {
    const n = subject.nestedGroups;
    ctx.add('NESTED_GROUPS', 'warn', [...n], { groups: n.map((x) => ({ id: x.id, displayName: x.displayName })) });
  }
}
