// The problems a config is refused with (ConfigError: path and message of
// each), for the config tests; a config that is accepted fails the test.
import { expect } from 'vitest';

import { ConfigError, normalizeConfig } from '../../src/controller/index.js';

export function problems(raw: unknown): { path: string; message: string }[] {
  try {
    normalizeConfig(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('config was accepted');
}
