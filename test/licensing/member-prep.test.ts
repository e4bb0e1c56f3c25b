import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runPreflight } from '../../src/licensing/preflight';
import { LicenseService } from '../../src/licensing/service';
import type { SnapshotReader } from '../../src/licensing/snapshot';
import { testGateway } from '../graph/support';
import { withSandbox } from '../helpers/sandbox';

// The reader works out the members' facts and errors page by page while reading (off the critical
// path). The preflight must come out exactly as when runPreflight works them out itself.
describe('group preflight: member facts worked out while reading', () => {
  const sb = withSandbox(join(__dirname, '..', '..', '..', 'data', 'demo-tenant.json'));

  const cases: [string, string | undefined, string, boolean?][] = [
    ['Sales', 'E1', 'E3'],
    ['Sales', 'E1', 'E3', true],
    ['Engineering', 'E1', 'E5'],
    ['Engineering', undefined, 'E3'],
    ['Finance (AD sync)', 'E3', 'E1'],
    ['Sales', 'E1', 'E1'],
  ];
  for (const [group, from, to, includeDirectCopies] of cases) {
    it(`${group}: ${from ?? '(inferred)'} -> ${to}${includeDirectCopies ? ', with direct copies' : ''}`, async () => {
      const t = testGateway(sb);
      const svc = new LicenseService(t.gateway);
      const reader = (svc as unknown as { reader: SnapshotReader }).reader;
      const spec = { principal: { kind: 'group' as const, group }, ...(from ? { from } : {}), to, ...(includeDirectCopies ? { includeDirectCopies } : {}) };
      const input = { ...(await reader.preflightInput(spec)), now: new Date('2026-01-01T00:00:00Z') };
      assert.ok(input.memberFacts, 'facts were worked out while reading');
      assert.equal(input.memberFacts.facts.length, input.subject.kind === 'group' ? input.subject.members.length : -1);
      const withPrep = runPreflight(input);
      const without = runPreflight({ ...input, memberFacts: undefined });
      assert.deepStrictEqual(withPrep, without);
      // And for another target the prepared facts are not used (they were made for these plans).
      const other = runPreflight({ ...input, memberFacts: { ...input.memberFacts, targetId: 'someone-else' } });
      assert.deepStrictEqual(other, without);
    });
  }
});
