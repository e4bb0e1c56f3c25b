import { strict as assert } from 'node:assert';
import { refusalText } from '../../src/bot/refusals';
import { en, nl } from '../../src/i18n';

describe("bot: refusals in the admin's language", () => {
  it('says nobody can approve when no approvers are configured, in English and Dutch', () => {
    const r = { ok: false as const, reason: 'not_approver' as const, message: 'x', noApproversConfigured: true as const };
    assert.equal(refusalText(en, r), en.refusals.no_approvers);
    assert.equal(refusalText(nl, r), nl.refusals.no_approvers);
  });

  it('says "you are not an approver" otherwise, whatever the English message mentions', () => {
    const r = { ok: false as const, reason: 'not_approver' as const, message: 'not in APPROVERS' };
    assert.equal(refusalText(en, r), en.refusals.not_approver);
    assert.equal(refusalText(nl, r), nl.refusals.not_approver);
  });
});
