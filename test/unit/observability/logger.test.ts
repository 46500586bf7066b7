// Secrets never reach a log line, whichever field or message they hide in.
import { describe, expect, it } from 'vitest';
import { configSecrets, loadConfig } from '../../../src/config.js';
import { captureLog } from '../../support/captured-log.js';

const env = {
  DISCORD_TOKEN: 'MTEwMDAwMDAwMDAwMDAwMDAwMA.GhIjKl.discord-token-signature-abcdefghijkl',
  REPLICATE_API_TOKEN: 'r8_replicate_token_1234567890',
  STRIPE_SECRET_KEY: 'sk_test_51HstripeSecretKey0123456789',
  STRIPE_WEBHOOK_SECRET: 'whsec_webhookSecret0123456789',
  BULL_BOARD_PASSWORD: 'dashboard-password-123',
  DATABASE_URL: 'postgresql://app:db-password-xyz@127.0.0.1:5432/imagine',
};

describe('the logger', () => {
  it('never prints a configured secret: not in a known field, an unknown one, an error message or a nested object', () => {
    const config = loadConfig(env);
    const captured = captureLog('trace', { secrets: configSecrets(config) });
    captured.log.info({ config }, 'the whole configuration, by mistake');
    captured.log.warn({ err: new Error(`Stripe said no to key ${env.STRIPE_SECRET_KEY}`) }, 'payment failed');
    captured.log.error({ request: { headers: { auth: `Bot ${env.DISCORD_TOKEN}` } }, replicate: env.REPLICATE_API_TOKEN }, 'odd field names');
    captured.log.info({}, `connecting to ${env.DATABASE_URL} with ${env.BULL_BOARD_PASSWORD} and ${env.STRIPE_WEBHOOK_SECRET}`);
    const text = captured.raw.join('');
    expect(captured.raw).toHaveLength(4);
    for (const secret of [
      env.DISCORD_TOKEN,
      env.REPLICATE_API_TOKEN,
      env.STRIPE_SECRET_KEY,
      env.STRIPE_WEBHOOK_SECRET,
      env.BULL_BOARD_PASSWORD,
      'db-password-xyz',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(captured.lines()[1]).toMatchObject({ msg: 'payment failed', err: { message: 'Stripe said no to key [redacted]' } });
  });

  it('redacts secret-named fields even when their values were not configured', () => {
    const captured = captureLog('info');
    captured.log.info(
      { token: 'some-token-value', stripe: { secretKey: 'sk_live_abcdefgh' }, deep: { headers: { authorization: 'Bearer x' } } },
      'named fields',
    );
    expect(captured.lines()[0]).toMatchObject({ token: '[redacted]', stripe: { secretKey: '[redacted]' }, deep: { headers: { authorization: '[redacted]' } } });
  });
});
