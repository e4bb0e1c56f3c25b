// loadConfig's problems (with the bot certificate read, as the entry point does) for an environment that must be refused (fails the test when it is accepted).
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';
import { readBotCertificate } from '../../src/server/bot-certificate';

export function configProblems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, { readCertificate: readBotCertificate });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}
