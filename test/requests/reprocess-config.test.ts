// REPROCESS_APPROVAL, WATCH_GROUPS and WATCH_INTERVAL: read once by the configuration loader,
// off by default, every bad value named at start-up.
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';
import { loadReprocessConfig } from '../../src/config/reprocess';

describe('config: reprocess and watch', () => {
  it('defaults: reprocess without a second approval, no watch, 15 minutes', () => {
    assert.deepEqual(loadConfig({}).reprocess, { approval: 'none', watchGroups: [], watchIntervalMs: 15 * 60_000 });
  });

  it('reads REPROCESS_APPROVAL=required, the watched groups (trimmed, each once) and the interval', () => {
    assert.deepEqual(loadReprocessConfig({ REPROCESS_APPROVAL: ' Required ', WATCH_GROUPS: 'Sales, Support;sales,,', WATCH_INTERVAL: '5m' }), {
      approval: 'required',
      watchGroups: ['Sales', 'Support'],
      watchIntervalMs: 5 * 60_000,
    });
  });

  it('lists every bad value at once, by name, and starts nothing', () => {
    assert.throws(
      () => loadConfig({ REPROCESS_APPROVAL: 'sometimes', WATCH_INTERVAL: '10s', WATCH_GROUPS: 'Sales' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.problems.some((p) => /REPROCESS_APPROVAL: "sometimes" is not none or required/.test(p)) &&
        e.problems.some((p) => /WATCH_INTERVAL: "10s" is shorter than a minute/.test(p)),
    );
    assert.throws(() => loadReprocessConfig({ WATCH_GROUPS: 'Sales,\u0007bell' }), /WATCH_GROUPS/);
    assert.throws(() => loadReprocessConfig({ WATCH_INTERVAL: 'soon' }), /WATCH_INTERVAL/);
  });
});
