// What kind of group it is (group swaps only).
//   GROUP_NOT_SECURITY  block  securityEnabled false: only security-enabled groups can hold licenses.
//   GROUP_SYNCED        info   membership is managed on-premises and syncs with a delay; the bot
//                              doesn't change membership anyway.
//   GROUP_DYNAMIC       info   membership follows a rule (quoted); the swap works the same.
//   NESTED_GROUPS       warn   group licensing reaches direct members only: nested groups' members
//                              get nothing from this group (named).
import { names, plural, type Ctx } from './context';

export function checkGroupKind(ctx: Ctx): void {
  const subject = ctx.input.subject;
  if (subject.kind !== 'group') return;
  const g = subject.group;
  const me = [ctx.change.principal];
  if (g.securityEnabled === false) {
    ctx.add('GROUP_NOT_SECURITY', 'block', me, `${g.displayName} is not a security group, and only security-enabled groups can hold licenses. Use a security group, or enable security on this Microsoft 365 group.`, {
      groupTypes: [...(g.groupTypes ?? [])],
    });
  }
  if (g.onPremisesSyncEnabled === true) {
    ctx.add('GROUP_SYNCED', 'info', me, `${g.displayName} is synced from on-premises Active Directory: its membership is managed there and changes reach Entra ID with a delay. The swap changes the group's license only, not its members.`, {});
  }
  if ((g.groupTypes ?? []).some((t) => t.toLowerCase() === 'dynamicmembership')) {
    const rule = g.membershipRule ?? '';
    ctx.add('GROUP_DYNAMIC', 'info', me, `${g.displayName} has dynamic membership${rule ? ` (rule: ${rule})` : ''}: people join and leave as the rule says, and whoever is a member gets the new license.`, {
      membershipRule: rule || null,
    });
  }
  if (subject.nestedGroups.length) {
    const n = subject.nestedGroups;
    ctx.add(
      'NESTED_GROUPS',
      'warn',
      [...n],
      `${g.displayName} contains ${plural(n.length, 'group')} (${names(n)}). Licenses reach direct members only: the members of ${n.length === 1 ? 'that group' : 'those groups'} get nothing from ${g.displayName}, before or after the swap.`,
      { groups: n.map((x) => ({ id: x.id, displayName: x.displayName })) },
    );
  }
}
