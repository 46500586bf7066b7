import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { resolveLogFormat } from '../../src/shared/logger.js';

const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/imagine_credits' };

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('needs nothing set and defaults to local PostgreSQL, Redis and the local provider', () => {
    const config = loadConfig({});
    expect(config.database.url).toBe('postgresql://postgres@127.0.0.1:5432/imagine_credits');
    expect(config.provider).toEqual({ kind: 'local', delayMs: 0 });
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.database.poolSize).toBe(10);
    expect(config.stripe).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('logs pretty in a terminal and JSON anywhere else unless LOG_FORMAT says which', () => {
    expect(loadConfig(base).logFormat).toBe('auto');
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat(loadConfig({ ...base, LOG_FORMAT: 'json' }).logFormat, true)).toBe('json');
    expect(resolveLogFormat(loadConfig({ ...base, LOG_FORMAT: 'pretty' }).logFormat, false)).toBe('pretty');
    expect(problemsOf({ ...base, LOG_FORMAT: 'xml' }).join()).toMatch(/LOG_FORMAT/);
  });

  it('uses Replicate when a token is set, with its optional base URL', () => {
    const config = loadConfig({ ...base, REPLICATE_API_TOKEN: 'r8_abcdefghijkl', REPLICATE_API_URL: 'http://127.0.0.1:9999/v1' });
    expect(config.provider).toEqual({ kind: 'replicate', token: 'r8_abcdefghijkl', apiUrl: 'http://127.0.0.1:9999/v1' });
  });

  it('treats an empty variable as unset, as a copied .env.example leaves them', () => {
    expect(loadConfig({ ...base, REPLICATE_API_TOKEN: '', STRIPE_SECRET_KEY: ' ' }).provider).toEqual({ kind: 'local', delayMs: 0 });
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://x', REDIS_URL: 'localhost:6379', OWNER_IDS: '123, 98765432109876543', HTTP_PORT: '99999' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['DATABASE_URL', 'REDIS_URL', 'OWNER_IDS.0', 'HTTP_PORT']);
    expect(problems[0]).toMatch(/postgres/);
  });

  it('reports a malformed DATABASE_URL by name', () => {
    expect(problemsOf({ DATABASE_URL: 'not a url' })[0]).toMatch(/^DATABASE_URL: must be a URL like postgresql:/);
  });

  it('refuses half a Stripe configuration', () => {
    expect(problemsOf({ ...base, STRIPE_SECRET_KEY: 'sk_test_123' })[0]).toMatch(/STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/);
  });

  it('parses the operator’s banned words as a trimmed list, and refuses an over-long one', () => {
    expect(loadConfig({ ...base, BANNED_WORDS: ' gore , red panda,, ' }).moderation.bannedWords).toEqual(['gore', 'red panda']);
    expect(loadConfig(base).moderation.bannedWords).toEqual([]);
    expect(problemsOf({ ...base, BANNED_WORDS: 'x'.repeat(51) })[0]).toMatch(/^BANNED_WORDS\.0: each banned word/);
  });

  it('takes the local provider’s simulated generation time, and refuses one that is not whole milliseconds', () => {
    expect(loadConfig({ ...base, LOCAL_PROVIDER_DELAY_MS: '1500' }).provider).toEqual({ kind: 'local', delayMs: 1500 });
    expect(problemsOf({ ...base, LOCAL_PROVIDER_DELAY_MS: '1.5s' })[0]).toMatch(/^LOCAL_PROVIDER_DELAY_MS: must be a whole number of milliseconds/);
    expect(problemsOf({ ...base, LOCAL_PROVIDER_DELAY_MS: '-1' })[0]).toMatch(/^LOCAL_PROVIDER_DELAY_MS:/);
  });

  it('parses owner ids as a list', () => {
    expect(loadConfig({ ...base, OWNER_IDS: '123456789012345678, 223456789012345678' }).discord.ownerIds).toEqual(['123456789012345678', '223456789012345678']);
  });

  it('keeps the public port (webhooks) apart from the private one (metrics, health details, dashboard)', () => {
    expect(loadConfig(base).http).toEqual({ port: 8080, publicPort: 8081 });
    expect(loadConfig({ ...base, HTTP_PORT: '9000', PUBLIC_HTTP_PORT: '443' }).http).toEqual({ port: 9000, publicPort: 443 });
    expect(problemsOf({ ...base, HTTP_PORT: '9000', PUBLIC_HTTP_PORT: '9000' })[0]).toMatch(/^PUBLIC_HTTP_PORT: must differ from HTTP_PORT/);
    expect(problemsOf({ ...base, PUBLIC_HTTP_PORT: '8080' })[0]).toMatch(/^PUBLIC_HTTP_PORT: must differ from HTTP_PORT/);
    expect(problemsOf({ ...base, PUBLIC_HTTP_PORT: '70000' })[0]).toMatch(/^PUBLIC_HTTP_PORT:/);
    // 0 asks for any free port, so both may be 0 (tests, several processes on one machine).
    expect(loadConfig({ ...base, HTTP_PORT: '0', PUBLIC_HTTP_PORT: '0' }).http).toEqual({ port: 0, publicPort: 0 });
  });

  it('grants nothing for Discord test-mode purchases unless the operator says so', () => {
    expect(loadConfig({ ...base, DISCORD_TEST_PURCHASES: '' }).discord.grantTestPurchases).toBe(false);
    expect(loadConfig({ ...base, DISCORD_TEST_PURCHASES: 'true' }).discord.grantTestPurchases).toBe(true);
    expect(problemsOf({ ...base, DISCORD_TEST_PURCHASES: 'sometimes' })[0]).toMatch(/^DISCORD_TEST_PURCHASES: must be true or false/);
  });

  it('keeps admin grants off by default (blank counts as unset) and checks their cap', () => {
    expect(loadConfig({ ...base, GUILD_ADMIN_GRANTS: '' }).adminGrants).toEqual({
      guildAdminsMayGrant: false,
      guildAdminDailyCap: 500,
      guildAdminTiers: [],
      freeDailyMax: null,
      guildOwnersMaySetBudget: false,
    });
    expect(loadConfig({ ...base, GUILD_ADMIN_GRANTS: 'true', GUILD_ADMIN_GRANT_CAP: '50' }).adminGrants).toMatchObject({
      guildAdminsMayGrant: true,
      guildAdminDailyCap: 50,
    });
    expect(problemsOf({ ...base, GUILD_ADMIN_GRANTS: 'maybe' })[0]).toMatch(/^GUILD_ADMIN_GRANTS: must be true or false/);
    expect(problemsOf({ ...base, GUILD_ADMIN_GRANT_CAP: '0' })[0]).toMatch(/^GUILD_ADMIN_GRANT_CAP:/);
    expect(problemsOf({ ...base, GUILD_ADMIN_GRANT_CAP: '1.5' })[0]).toMatch(/^GUILD_ADMIN_GRANT_CAP: must be a whole number/);
  });
});

describe('who sets server budgets', () => {
  it('leaves budgets to the operator by default (blank counts as unset); GUILD_OWNER_BUDGETS=true lets server owners', () => {
    expect(loadConfig({ ...base, GUILD_OWNER_BUDGETS: '' }).adminGrants.guildOwnersMaySetBudget).toBe(false);
    expect(loadConfig({ ...base, GUILD_OWNER_BUDGETS: 'true' }).adminGrants.guildOwnersMaySetBudget).toBe(true);
    expect(problemsOf({ ...base, GUILD_OWNER_BUDGETS: 'sometimes' })[0]).toMatch(/^GUILD_OWNER_BUDGETS: must be true or false/);
  });
});

describe('what server admins may create', () => {
  it('gives them no allowance tier and no free credits above the card by default; the operator opts in by name, * or a ceiling', () => {
    expect(loadConfig({ ...base, GUILD_ADMIN_TIERS: ' Starter, pro ' }).adminGrants.guildAdminTiers).toEqual(['starter', 'pro']);
    expect(loadConfig({ ...base, GUILD_ADMIN_TIERS: '*' }).adminGrants.guildAdminTiers).toBe('all');
    expect(problemsOf({ ...base, GUILD_ADMIN_TIERS: 'pro; ultra' })[0]).toMatch(/^GUILD_ADMIN_TIERS\.0: must be \* or tier names/);
    expect(loadConfig({ ...base, GUILD_FREE_DAILY_MAX: '50' }).adminGrants.freeDailyMax).toBe(50);
    expect(problemsOf({ ...base, GUILD_FREE_DAILY_MAX: '20000' })[0]).toMatch(/^GUILD_FREE_DAILY_MAX:/);
  });
});

describe('documentation of the configuration', () => {
  it('.env.example and docs/operations.md document every variable, and .env.example itself is valid', async () => {
    const { readFile } = await import('node:fs/promises');
    const { parseEnv } = await import('node:util');
    const { configVariables } = await import('../../src/config.js');
    const example = await readFile(new URL('../../.env.example', import.meta.url), 'utf8');
    const operations = await readFile(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const parsed = parseEnv(example);
    for (const variable of configVariables) {
      expect(Object.keys(parsed), `.env.example lacks ${variable}`).toContain(variable);
      expect(operations, `docs/operations.md lacks ${variable}`).toContain(`\`${variable}\``);
    }
    expect(() => loadConfig(parsed)).not.toThrow();
  });
});
