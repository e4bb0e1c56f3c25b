// A user or group from Graph as the PrincipalRef every finding, result and card names: one
// constructor each, so a person is named the same way everywhere (display name, else UPN, else id).
import type { GraphUser } from '../graph/types';
import type { PrincipalRef } from './model';

export function userRef(u: Pick<GraphUser, 'id' | 'displayName' | 'userPrincipalName'>): PrincipalRef {
  return { kind: 'user', id: u.id, displayName: u.displayName || u.userPrincipalName || u.id, userPrincipalName: u.userPrincipalName };
}

export function groupRef(g: { id: string; displayName: string }): PrincipalRef {
  return { kind: 'group', id: g.id, displayName: g.displayName || g.id };
}
