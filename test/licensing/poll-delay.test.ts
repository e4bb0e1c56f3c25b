import assert from 'node:assert/strict';
import { LicenseService, MAX_POLL_MS, MIN_POLL_MS, pollDelay } from '../../src/licensing/service';
import { testGateway } from '../graph/support';
import { tenantFixture, withSandbox } from '../helpers/sandbox';

describe('following a group swap: how often the processing state is read', () => {
  it('adaptive by default: a tenth of the time so far, between 0.5 s and 60 s; a fixed interval as given', () => {
    assert.equal(pollDelay(0), MIN_POLL_MS);
    assert.equal(pollDelay(2_000), MIN_POLL_MS);
    assert.equal(pollDelay(5_000), MIN_POLL_MS);
    assert.equal(pollDelay(10_000), 1_000);
    assert.equal(pollDelay(60_000), 6_000);
    assert.equal(pollDelay(10 * 60_000), MAX_POLL_MS);
    assert.equal(pollDelay(24 * 3_600_000), MAX_POLL_MS);
    assert.equal(pollDelay(24 * 3_600_000, 5), 5);
    assert.equal(pollDelay(0, 0), 1);
    // Reads over a day: a few dozen while it is young, then one a minute.
    let t = 0;
    let reads = 0;
    while (t < 24 * 3_600_000) {
      t += pollDelay(t);
      reads++;
    }
    assert.ok(reads > 1_440 && reads < 1_550, `${reads} reads in a day`);
    for (t = 0, reads = 0; t < 5_000; reads++) t += pollDelay(t);
    assert.ok(reads <= 10, `${reads} reads in the first 5 s`);
  });

  describe('against the sandbox', () => {
    const sb = withSandbox(
      tenantFixture('Contoso')
        .sku('STANDARDPACK', 20)
        .sku('ENTERPRISEPACK', 20)
        .generate('Sales', 5, { groupLicenses: ['STANDARDPACK'] })
        .behavior({ groupProcessingMs: 1_500, latencyMs: 0 })
        .build(),
    );

    it('without an interval the service reads soon and then less often, and reports soon after processing ends', async () => {
      const t = testGateway(sb);
      const svc = new LicenseService(t.gateway);
      const pf = await svc.preflight({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
      await svc.swap(pf.change);
      const at: number[] = [];
      const started = Date.now();
      const report = await svc.track(pf.change, { onProgress: (p) => void at.push(p.elapsedMs) });
      const took = Date.now() - started;
      assert.equal(report.outcome, 'complete');
      assert.equal(report.done.length, 5);
      // Processing takes 1.5 s: reads every 0.5 s, so the report comes well before 2.5 s, in a handful of reads.
      assert.ok(report.polls >= 3 && report.polls <= 6, `${report.polls} reads at ${at.join(', ')} ms`);
      assert.ok(took < 2_500, `took ${took} ms`);
      for (let i = 1; i < at.length; i++) assert.ok(at[i]! - at[i - 1]! >= MIN_POLL_MS - 20, `reads ${at[i - 1]} and ${at[i]} too close`);
    });
  });
});
