// loadConfig's problems for an environment that must be refused (fails the test when it is accepted).
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

export function configProblems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}
