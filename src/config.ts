// The only reader of process.env. Parsed and validated once at start; every problem is reported
// at once, naming the variable, and the result is frozen and passed down as plain values.
import { z } from 'zod';

const url = (protocols: string[], example: string) =>
  z.url({ error: `must be a URL like ${example}` }).refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
    error: `must start with ${protocols.map((p) => `${p}//`).join(' or ')} (e.g. ${example})`,
  });
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());
const snowflakeList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id.length > 0),
  )
  .pipe(z.array(z.string().regex(/^\d{17,20}$/, { error: 'must be Discord user ids (17–20 digits), comma-separated' })));

const envSchema = z
  .object({
    DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgresql://postgres@127.0.0.1:5432/imagine_credits').default(
      'postgresql://postgres@127.0.0.1:5432/imagine_credits',
    ),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379').default('redis://127.0.0.1:6379'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[\w-]{1,40}$/, { error: 'must be 1–40 letters, digits, "_" or "-"' })
      .default('imagine'),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(4),
    RELAX_SHARE: z.coerce.number({ error: 'must be a number from 0 to 1' }).min(0).max(1).default(0.25),
    PROVIDER_JOBS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
    DISCORD_TOKEN: optional(z.string().min(50, { error: 'does not look like a bot token' })),
    DISCORD_API_URL: optional(url(['http:', 'https:'], 'https://discord.com/api')),
    DISCORD_MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .min(256 * 1024)
      .max(500 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    REPLICATE_API_TOKEN: optional(z.string().min(8, { error: 'is too short to be a Replicate token' })),
    REPLICATE_API_URL: optional(url(['http:', 'https:'], 'https://api.replicate.com/v1')),
    LOCAL_PROVIDER_DELAY_MS: z.coerce
      .number({ error: 'must be a whole number of milliseconds' })
      .int({ error: 'must be a whole number of milliseconds' })
      .min(0)
      .max(600_000)
      .default(0),
    PRICE_CARD: optional(z.string()),
    STRIPE_SECRET_KEY: optional(z.string().regex(/^(sk|rk)_(test|live)_/, { error: 'must start with sk_test_, sk_live_, rk_test_ or rk_live_' })),
    STRIPE_WEBHOOK_SECRET: optional(z.string().startsWith('whsec_', { error: 'must start with whsec_' })),
    STRIPE_API_URL: optional(url(['http:', 'https:'], 'https://api.stripe.com')),
    OWNER_IDS: snowflakeList.default([]),
    // Empty counts as unset, as everywhere: the defaults are the safe choice (no admin grants).
    GUILD_ADMIN_GRANTS: optional(z.stringbool({ error: 'must be true or false' })).transform((value) => value ?? false),
    GUILD_ADMIN_GRANT_CAP: optional(
      z.coerce.number({ error: 'must be a whole number of credits' }).int({ error: 'must be a whole number of credits' }).min(1).max(1_000_000),
    ).transform((value) => value ?? 500),
    // Empty means none: by default server admins give no tier that carries an allowance.
    GUILD_ADMIN_TIERS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((name) => name.trim().toLowerCase())
          .filter((name) => name.length > 0),
      )
      .pipe(z.array(z.string().regex(/^(\*|[a-z0-9_-]{1,40})$/, { error: 'must be * or tier names from the price card, comma-separated' })))
      .transform((names): 'all' | string[] => (names.includes('*') ? 'all' : names)),
    // Empty counts as unset: by default only the operator sets server budgets.
    GUILD_OWNER_BUDGETS: optional(z.stringbool({ error: 'must be true or false' })).transform((value) => value ?? false),
    GUILD_FREE_DAILY_MAX: optional(
      z.coerce.number({ error: 'must be a whole number of credits' }).int({ error: 'must be a whole number of credits' }).min(0).max(10_000),
    ),
    BANNED_WORDS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((word) => word.trim())
          .filter((word) => word.length > 0),
      )
      .pipe(z.array(z.string().max(50, { error: 'each banned word or phrase must be at most 50 characters' })).max(500, { error: 'at most 500 banned words' })),
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    PUBLIC_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
    BULL_BOARD_USER: z
      .string()
      .regex(/^[^:\s]{1,64}$/, { error: 'must be 1–64 characters without ":" or spaces' })
      .default('admin'),
    BULL_BOARD_PASSWORD: optional(z.string().min(12, { error: 'must be at least 12 characters (the dashboard can delete and retry jobs)' })),
    // Test-mode purchases cost nothing: off unless the operator says so (a staging bot).
    DISCORD_TEST_PURCHASES: optional(z.stringbool({ error: 'must be true or false' })).transform((value) => value ?? false),
    DISCORD_DEV_GUILD_ID: optional(z.string().regex(/^\d{17,20}$/, { error: 'must be a Discord server id (17–20 digits)' })),
    // `auto`: without DISCORD_TOKEN, `npm start` opens the local playground; `off`: it runs only the worker side.
    PLAYGROUND: z.enum(['auto', 'off'], { error: 'must be auto or off' }).default('auto'),
  })
  .superRefine((env, context) => {
    // One port for both would put the metrics, health details and dashboard where the webhook is.
    if (env.PUBLIC_HTTP_PORT !== 0 && env.PUBLIC_HTTP_PORT === env.HTTP_PORT) {
      context.addIssue({
        code: 'custom',
        path: ['PUBLIC_HTTP_PORT'],
        message: 'must differ from HTTP_PORT (the public port serves webhooks; HTTP_PORT, metrics and health details, stays private)',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Every variable the configuration reads (docs/operations.md and .env.example document each; test/unit/docs-configuration.test.ts checks). */
/** Relax's slots beside `concurrency` paying ones: the share rounded, at least 1 unless the share is 0. */
export const relaxSlots = (concurrency: number, share: number): number => (share === 0 ? 0 : Math.max(1, Math.round(concurrency * share)));

export const configVariables = Object.keys(envSchema.shape) as (keyof Env)[];

export interface Config {
  readonly database: { readonly url: string; readonly poolSize: number };
  readonly redis: { readonly url: string; readonly queuePrefix: string };
  /** How long running jobs may finish on SIGTERM before they are handed back to the queue. */
  readonly shutdownGraceMs: number;
  readonly worker: {
    /** Paying (Fast and Turbo) jobs one worker process runs at once. */
    readonly concurrency: number;
    /**
     * Relax jobs one worker process runs at once, in slots of their own beside the paying ones
     * (RELAX_SHARE × WORKER_CONCURRENCY, at least 1; 0 when RELAX_SHARE is 0): a flood of Relax
     * jobs never takes a paying slot.
     */
    readonly relaxSlots: number;
    /** Jobs started per minute across all workers: the global rate limit toward the provider. */
    readonly providerJobsPerMinute: number;
  };
  readonly discord: {
    readonly token: string | undefined;
    readonly apiUrl: string | undefined;
    readonly ownerIds: readonly string[];
    /** Largest upload per message (DISCORD_MAX_UPLOAD_BYTES); bigger images are re-encoded to fit. */
    readonly maxUploadBytes: number;
    /** Development: slash commands go to this server only (instant), not globally. */
    readonly devGuildId: string | undefined;
    /** Whether Discord test-mode purchases (free for the app's team) grant their pack. */
    readonly grantTestPurchases: boolean;
  };
  /**
   * What server admins may create besides the owners (OWNER_IDS): gifts and refunds (and how many a
   * day), tiers with an allowance for their roles, and how many free credits a day (all servers).
   */
  readonly adminGrants: {
    readonly guildAdminsMayGrant: boolean;
    readonly guildAdminDailyCap: number;
    readonly guildAdminTiers: 'all' | readonly string[];
    readonly freeDailyMax: number | null;
    /** Whether a server's owner may set its monthly budget (the operator's owners always may). */
    readonly guildOwnersMaySetBudget: boolean;
  };
  /** `local` renders images offline and free; used whenever no Replicate token is set. */
  readonly provider:
    /** `delayMs`: how long each local generation pretends to take (demos, load tests); 0 = as fast as it renders. */
    { readonly kind: 'local'; readonly delayMs: number } | { readonly kind: 'replicate'; readonly token: string; readonly apiUrl: string | undefined };
  readonly priceCardPath: string | undefined;
  /** The operator's banned words and phrases, refused in prompts in every guild. */
  readonly moderation: { readonly bannedWords: readonly string[] };
  readonly stripe: { readonly secretKey: string; readonly webhookSecret: string; readonly apiUrl: string | undefined } | undefined;
  readonly http: {
    /** Private: /healthz with details, /metrics, the queue dashboard. */
    readonly port: number;
    /** Public: payment webhooks and a bare health answer, opened only by a process that has webhooks. */
    readonly publicPort: number;
  };
  /**
   * `auto`: `npm start` without DISCORD_TOKEN runs the bot against the built-in local Discord (the
   * playground); `off`: it runs only the worker side. A token always wins: the playground never
   * starts beside a real bot.
   */
  readonly playground: Env['PLAYGROUND'];
  readonly logLevel: Env['LOG_LEVEL'];
  readonly logFormat: Env['LOG_FORMAT'];
  /** Bull Board at /admin/queues behind HTTP basic auth; off when no password is set. */
  readonly queueDashboard: { readonly user: string; readonly password: string } | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (see .env.example):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const e = parsed.data;
  const stripeParts = [e.STRIPE_SECRET_KEY, e.STRIPE_WEBHOOK_SECRET];
  if (stripeParts.some(Boolean) && !stripeParts.every(Boolean)) {
    throw new ConfigError(['STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET: set both to sell packs through Stripe, or neither']);
  }
  return Object.freeze({
    database: Object.freeze({ url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }),
    redis: Object.freeze({ url: e.REDIS_URL, queuePrefix: e.QUEUE_PREFIX }),
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    worker: Object.freeze({
      concurrency: e.WORKER_CONCURRENCY,
      relaxSlots: relaxSlots(e.WORKER_CONCURRENCY, e.RELAX_SHARE),
      providerJobsPerMinute: e.PROVIDER_JOBS_PER_MINUTE,
    }),
    discord: Object.freeze({
      token: e.DISCORD_TOKEN,
      apiUrl: e.DISCORD_API_URL,
      ownerIds: Object.freeze(e.OWNER_IDS),
      maxUploadBytes: e.DISCORD_MAX_UPLOAD_BYTES,
      devGuildId: e.DISCORD_DEV_GUILD_ID,
      grantTestPurchases: e.DISCORD_TEST_PURCHASES,
    }),
    adminGrants: Object.freeze({
      guildAdminsMayGrant: e.GUILD_ADMIN_GRANTS,
      guildAdminDailyCap: e.GUILD_ADMIN_GRANT_CAP,
      guildAdminTiers: e.GUILD_ADMIN_TIERS === 'all' ? ('all' as const) : Object.freeze(e.GUILD_ADMIN_TIERS),
      freeDailyMax: e.GUILD_FREE_DAILY_MAX ?? null,
      guildOwnersMaySetBudget: e.GUILD_OWNER_BUDGETS,
    }),
    provider: Object.freeze(
      e.REPLICATE_API_TOKEN
        ? { kind: 'replicate' as const, token: e.REPLICATE_API_TOKEN, apiUrl: e.REPLICATE_API_URL }
        : { kind: 'local' as const, delayMs: e.LOCAL_PROVIDER_DELAY_MS },
    ),
    priceCardPath: e.PRICE_CARD,
    moderation: Object.freeze({ bannedWords: Object.freeze(e.BANNED_WORDS) }),
    stripe:
      e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET
        ? Object.freeze({ secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET, apiUrl: e.STRIPE_API_URL })
        : undefined,
    http: Object.freeze({ port: e.HTTP_PORT, publicPort: e.PUBLIC_HTTP_PORT }),
    playground: e.PLAYGROUND,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    queueDashboard: e.BULL_BOARD_PASSWORD ? Object.freeze({ user: e.BULL_BOARD_USER, password: e.BULL_BOARD_PASSWORD }) : undefined,
  });
}

/** Every secret value in the configuration: log lines never show them (see createLogger). */
export function configSecrets(config: Config): string[] {
  const secrets = [config.discord.token, config.stripe?.secretKey, config.stripe?.webhookSecret, config.queueDashboard?.password];
  if (config.provider.kind === 'replicate') secrets.push(config.provider.token);
  for (const url of [config.database.url, config.redis.url]) {
    const password = URL.canParse(url) ? decodeURIComponent(new URL(url).password) : '';
    if (password) secrets.push(password);
  }
  return secrets.filter((secret): secret is string => Boolean(secret));
}
