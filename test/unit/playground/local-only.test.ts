import { describe, expect, it } from 'vitest';
import { isLocalHost } from '../../../src/playground/local-only.js';

describe('the playground answers only to this machine’s names', () => {
  it.each(['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST', '[::1]:8080', '127.0.0.1'])('accepts Host %s', (host) => {
    expect(isLocalHost(host)).toBe(true);
  });

  it.each([undefined, '', 'evil.example:8080', '127.0.0.1.evil.example', 'localhost.evil.example:8080', '[::2]:8080', '10.0.0.5:8080'])(
    'refuses Host %s',
    (host) => {
      expect(isLocalHost(host)).toBe(false);
    },
  );
});
