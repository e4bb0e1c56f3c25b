import assert from 'node:assert/strict';
import { loadRequestConfig, parseApprovalsChannel, parseReminder, parseTeamsAppId } from '../../src/config/requests';
import { configProblems } from '../helpers/config';

const HOUR = 3_600_000;

describe('config: reaching approvers (APPROVAL_REMINDER, APPROVALS_CHANNEL, TEAMS_APP_ID)', () => {
  it('APPROVAL_REMINDER: half of APPROVAL_TTL by default, off, or a duration shorter than the TTL', () => {
    assert.equal(loadRequestConfig({}).approvalReminderMs, 12 * HOUR);
    assert.equal(loadRequestConfig({ APPROVAL_TTL: '8h' }).approvalReminderMs, 4 * HOUR);
    assert.equal(loadRequestConfig({ APPROVAL_REMINDER: 'off' }).approvalReminderMs, null);
    assert.equal(parseReminder('2h', 24 * HOUR), 2 * HOUR);
    assert.throws(() => parseReminder('30h', 24 * HOUR), /APPROVAL_REMINDER.*not shorter than APPROVAL_TTL/);
    assert.throws(() => parseReminder('soon', 24 * HOUR), /APPROVAL_REMINDER: "soon" is not a duration/);
  });

  it('APPROVALS_CHANNEL: a channel or group chat id, or the link Teams copies (its name kept)', () => {
    assert.deepEqual(parseApprovalsChannel('19:abc123@thread.tacv2'), { conversationId: '19:abc123@thread.tacv2' });
    assert.deepEqual(parseApprovalsChannel('19:meeting_xyz@thread.v2'), { conversationId: '19:meeting_xyz@thread.v2' });
    const link =
      'https://teams.microsoft.com/l/channel/19%3aQ1w2E3r4T5y6%40thread.tacv2/Licenses?groupId=71a5b1f2-9c2e-4a8e-9d1b-3f0c5e7a9b11&tenantId=8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
    assert.deepEqual(parseApprovalsChannel(link), { conversationId: '19:Q1w2E3r4T5y6@thread.tacv2', name: 'Licenses' });
    for (const bad of ['general', 'https://evil.example/l/channel/19%3aa%40thread.tacv2/x', '19:a b@thread.tacv2', '../../etc/passwd']) {
      assert.throws(() => parseApprovalsChannel(bad), /APPROVALS_CHANNEL/, bad);
    }
  });

  it('TEAMS_APP_ID is the catalog GUID; bad values are start-up problems named with the variable', () => {
    assert.equal(parseTeamsAppId(' 5f0e0d0c-0b0a-4909-8807-060504030201 '), '5f0e0d0c-0b0a-4909-8807-060504030201');
    assert.throws(() => parseTeamsAppId('plan-switch'), /TEAMS_APP_ID/);
    const problems = configProblems({ TEAMS_APP_ID: 'plan-switch', APPROVALS_CHANNEL: 'general', APPROVAL_REMINDER: 'sometimes' });
    assert.ok(
      problems.some((p) => p.startsWith('TEAMS_APP_ID')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('APPROVALS_CHANNEL')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('APPROVAL_REMINDER')),
      problems.join('\n'),
    );
  });
});
