// In-memory ports for the bot's use cases: enough state to tell what a use case read, wrote and
// in which order, and strict everywhere else — a port method a fake does not implement throws
// when called, so a use case that reaches for something its test did not expect fails it.
import type { SpendingLimits } from '../../src/use-cases/ports/spending-limits.js';
import type { SpendingCaps } from '../../src/domain/spending/server-caps.js';
import { applyConfigChange, defaultGuildConfig, settingOf, type GuildConfig } from '../../src/domain/guild-config.js';
import type { JobRequest } from '../../src/domain/jobs/job-request.js';
import { err, ok } from '../../src/domain/result.js';
import { defaultMemberSettings, type MemberSettings } from '../../src/domain/settings/member-settings.js';
import type { PriceCard } from '../../src/domain/pricing/price-card-schema.js';
import { createLogger } from '../../src/shared/logger.js';
import type { BotOutbound, BotPorts } from '../../src/use-cases/bot-use-cases.js';
import type { AuditEntry } from '../../src/use-cases/ports/audit-log.js';
import type { GenerationQueue } from '../../src/use-cases/ports/generation-queue.js';
import type { GuildSettingsStore, RoleTierMapping, TierChangeNote } from '../../src/use-cases/ports/guild-settings.js';
import type { JobCredits } from '../../src/use-cases/ports/job-credits.js';
import type { JobMessages } from '../../src/use-cases/ports/job-messages.js';
import type { JobRecord, JobStore, NewQuote } from '../../src/use-cases/ports/job-store.js';
import type { Balance, Ledger } from '../../src/use-cases/ports/ledger.js';
import type { MemberSettingsStore } from '../../src/use-cases/ports/member-settings.js';
import type { TierSubscriptions } from '../../src/use-cases/ports/tier-subscriptions.js';
import type { MemberSubscription } from '../../src/domain/subscriptions/tier-sources.js';

/** `given`, with every other method throwing "unexpected call" when called. */
export function strict<T extends object>(name: string, given: Partial<T>): T {
  return new Proxy(given, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof target];
      // Not a method a use case calls: what `await` and matchers probe for.
      if (typeof key === 'symbol' || key === 'then' || key === 'asymmetricMatch') return undefined;
      return () => {
        throw new Error(`unexpected call: ${name}.${key}`);
      };
    },
  }) as T;
}

/** What happened, in order, across the fakes: `onHeld`, `answer`, `postQueued`, `enqueue`… */
export type Events = string[];

const balanceOf = (available: number, held = 0): Balance => ({
  available,
  held,
  buckets: {
    free: { available, nextExpiry: null },
    tier: { available: 0, nextExpiry: null },
    grant: { available: 0, nextExpiry: null },
    topup: { available: 0, nextExpiry: null },
  },
});

/** Credits per member (`userId:guildId`), shared by the ledger and the job store's holds. */
export class Wallets {
  readonly available = new Map<string, number>();
  readonly held = new Map<string, number>();
  get(userId: string, guildId: string): number {
    return this.available.get(`${userId}:${guildId}`) ?? 0;
  }
  set(userId: string, guildId: string, credits: number): void {
    this.available.set(`${userId}:${guildId}`, credits);
  }
}

/** A ledger that grants each period's allowance once and reports balances; everything else is unexpected. */
export function fakeLedger(wallets: Wallets): Ledger & { readonly grants: string[] } {
  const grants: string[] = [];
  return strict<Ledger & { grants: string[] }>('ledger', {
    grants,
    async balance(userId, guildId) {
      return balanceOf(wallets.get(userId, guildId), wallets.held.get(`${userId}:${guildId}`) ?? 0);
    },
    // The fake keeps no global lots: what a guild gave is all there is.
    async guildBalance(userId, guildId) {
      return balanceOf(wallets.get(userId, guildId), wallets.held.get(`${userId}:${guildId}`) ?? 0);
    },
    async grantAllowances({ userId, guildId, free, tier }) {
      for (const grant of [free && { key: `free:${free.periodKey}`, amount: free.amount }, tier && { key: `tier:${tier.periodKey}`, amount: tier.allowance }]) {
        const key = grant && `${userId}:${guildId}:${grant.key}`;
        if (!grant || !key || grant.amount <= 0 || grants.includes(key)) continue;
        grants.push(key);
        wallets.set(userId, guildId, wallets.get(userId, guildId) + grant.amount);
      }
      return ok({ free: null, tier: null, welcome: 0, subscriptionCredits: 0, subscriptions: [], balance: balanceOf(wallets.get(userId, guildId)) });
    },
  });
}

export class FakeGuildSettings implements GuildSettingsStore {
  readonly mappings = new Map<string, RoleTierMapping[]>();
  readonly configs = new Map<string, GuildConfig>();
  /** Audit rows, written only together with the change they record (as the store's transaction does). */
  readonly audit: AuditEntry[] = [];

  map(guildId: string, roleId: string, tierName: string, setBy = 'owner'): void {
    this.mappings.set(guildId, [...(this.mappings.get(guildId) ?? []).filter((m) => m.roleId !== roleId), { roleId, tierName, setBy }]);
  }
  async roleTierMappings(guildId: string) {
    return [...(this.mappings.get(guildId) ?? [])];
  }
  async roleTiers(guildId: string) {
    return new Map((this.mappings.get(guildId) ?? []).map((m) => [m.roleId, m.tierName]));
  }
  async setRoleTier(guildId: string, roleId: string, tierName: string, setBy: string, note?: TierChangeNote) {
    const previous = (this.mappings.get(guildId) ?? []).find((m) => m.roleId === roleId)?.tierName ?? null;
    this.map(guildId, roleId, tierName, setBy);
    if (note)
      this.audit.push({
        guildId,
        actorId: setBy,
        action: 'tier.set',
        subject: roleId,
        details: { roleName: note.roleName, from: previous, to: tierName },
        ...(note.reason ? { reason: note.reason } : {}),
      });
  }
  async removeRoleTier(guildId: string, roleId: string, note?: TierChangeNote & { readonly actorId: string }) {
    const previous = (this.mappings.get(guildId) ?? []).find((m) => m.roleId === roleId)?.tierName;
    if (previous === undefined) return false;
    this.mappings.set(
      guildId,
      (this.mappings.get(guildId) ?? []).filter((m) => m.roleId !== roleId),
    );
    if (note)
      this.audit.push({
        guildId,
        actorId: note.actorId,
        action: 'tier.remove',
        subject: roleId,
        details: { roleName: note.roleName, from: previous },
        ...(note.reason ? { reason: note.reason } : {}),
      });
    return true;
  }
  async config(guildId: string) {
    return this.configs.get(guildId) ?? defaultGuildConfig(guildId);
  }
  async updateConfig(guildId: string, change: Parameters<GuildSettingsStore['updateConfig']>[1], actorId: string, reason?: string) {
    const before = await this.config(guildId);
    const after = applyConfigChange(before, change);
    if (!after.ok) return after;
    this.configs.set(guildId, after.value);
    const setting = settingOf(change);
    this.audit.push({
      guildId,
      actorId,
      action: 'config.set',
      subject: setting,
      details: { from: before[setting], to: after.value[setting] },
      ...(reason ? { reason } : {}),
    });
    return ok({ before, after: after.value });
  }
}

export function fakeMemberSettings(): MemberSettingsStore & { readonly stored: Map<string, MemberSettings> } {
  const stored = new Map<string, MemberSettings>();
  const key = (userId: string, guildId: string) => `${userId}:${guildId}`;
  return {
    stored,
    get: async (userId, guildId) => stored.get(key(userId, guildId)) ?? defaultMemberSettings,
    async update(userId, guildId, change) {
      const updated = { ...(stored.get(key(userId, guildId)) ?? defaultMemberSettings), ...change };
      stored.set(key(userId, guildId), updated);
      return updated;
    },
    reset: async (userId, guildId) => void stored.delete(key(userId, guildId)),
  };
}

interface StoredQuote extends NewQuote {
  readonly id: string;
  state: 'open' | 'cancelled' | 'confirmed';
  jobId?: string;
}

/** Quotes and jobs, and the job credits: confirming holds the price from the member's wallet, once per quote. */
export class FakeJobStore {
  readonly quotes = new Map<string, StoredQuote>();
  readonly jobs = new Map<string, JobRecord & { kept?: boolean; queuePlaceShown?: number | null; enqueued?: boolean }>();
  /** What each confirm asked for. */
  readonly confirms: { quoteId: string; priority: number; deadlineAt: Date; serverCaps?: SpendingCaps | undefined }[] = [];
  private sequence = 0;

  constructor(
    private readonly wallets: Wallets,
    private readonly events: Events = [],
  ) {}

  /** A job as if confirmed and delivered earlier. */
  addJob(job: Partial<JobRecord> & { readonly id: string; readonly userId: string; readonly request: JobRequest }): JobRecord {
    const record: JobRecord = {
      guildId: 'g1',
      channelId: 'c1',
      price: 10,
      tierName: 'none',
      priority: 10,
      status: 'succeeded',
      attempts: 1,
      deadlineAt: new Date(0),
      messageId: 'm1',
      interaction: null,
      imagesDelivered: job.request.count,
      createdAt: new Date(0),
      ...job,
    };
    this.jobs.set(record.id, record);
    return record;
  }

  /** The ledger's side of confirming: holds the quote's price and creates the job, once per quote. */
  readonly credits: JobCredits = strict<JobCredits>('jobCredits', {
    confirmQuote: async ({ quoteId, userId, priority, deadlineAt, interaction, serverCaps }) => {
      const quote = this.quotes.get(quoteId);
      if (!quote) return err({ code: 'quote_not_found' });
      if (quote.userId !== userId) return err({ code: 'not_quote_owner' });
      if (quote.state === 'cancelled') return err({ code: 'quote_cancelled' });
      if (quote.state === 'confirmed') return ok({ jobId: quote.jobId!, price: quote.price, replayed: true });
      const available = this.wallets.get(userId, quote.guildId);
      if (available < quote.price) return err({ code: 'insufficient_credits', needed: quote.price, available });
      this.wallets.set(userId, quote.guildId, available - quote.price);
      const jobId = `job-${++this.sequence}`;
      Object.assign(quote, { state: 'confirmed', jobId });
      this.confirms.push({ quoteId, priority, deadlineAt, serverCaps });
      this.jobs.set(jobId, {
        id: jobId,
        userId,
        guildId: quote.guildId,
        channelId: quote.channelId,
        request: quote.request,
        price: quote.price,
        tierName: quote.tierName,
        // The sequence orders jobs confirmed in the same millisecond.
        priority,
        status: 'queued',
        attempts: 0,
        deadlineAt,
        messageId: null,
        interaction: interaction ?? null,
        imagesDelivered: 0,
        createdAt: new Date(this.sequence),
      });
      return ok({ jobId, price: quote.price, replayed: false });
    },
  });

  readonly port: JobStore = strict<JobStore>('jobs', {
    createQuote: async (quote) => {
      const id = `quote-${++this.sequence}`;
      this.quotes.set(id, { ...quote, id, state: 'open' });
      return id;
    },
    quoteQueueing: async (quoteId) => {
      const quote = this.quotes.get(quoteId);
      return quote ? { tierName: quote.tierName, lane: quote.request.lane ?? 'fast' } : null;
    },
    recentRelaxImages: async () => 0,
    cancelQuote: async (quoteId, userId) => {
      const quote = this.quotes.get(quoteId);
      if (!quote || quote.userId !== userId || quote.state !== 'open') return false;
      quote.state = 'cancelled';
      return true;
    },
    get: async (jobId) => this.jobs.get(jobId) ?? null,
    queuedAhead: async (jobId) => {
      const queued = [...this.jobs.values()].filter((job) => job.status === 'queued');
      const job = this.jobs.get(jobId);
      return job ? queued.filter((other) => other.priority < job.priority || (other.priority === job.priority && other.createdAt < job.createdAt)).length : 0;
    },
    recordQueuePlace: async (jobId, place) => {
      this.events.push(`recordQueuePlace:${place}`);
      Object.assign(this.jobs.get(jobId)!, { queuePlaceShown: place });
    },
    markEnqueued: async (jobId) => void Object.assign(this.jobs.get(jobId)!, { enqueued: true }),
    markKept: async (jobId, userId) => {
      const job = this.jobs.get(jobId);
      if (!job) return 'not_found';
      if (job.userId !== userId) return 'not_owner';
      if (job.status !== 'succeeded' && job.status !== 'partial') return 'not_delivered';
      job.kept = true;
      return 'kept';
    },
  });
}

export function fakeQueue(events: Events, options: { fails?: boolean } = {}): GenerationQueue & { readonly enqueued: { jobId: string; priority: number }[] } {
  const enqueued: { jobId: string; priority: number }[] = [];
  return strict<GenerationQueue & { enqueued: typeof enqueued }>('queue', {
    enqueued,
    async enqueue(jobId: string, priority: number) {
      if (options.fails) throw new Error('redis is down');
      events.push('enqueue');
      enqueued.push({ jobId, priority });
    },
  });
}

export function fakeJobMessages(events: Events): JobMessages & { readonly posted: { jobId: string; ahead: number }[] } {
  const posted: { jobId: string; ahead: number }[] = [];
  return strict<JobMessages & { posted: typeof posted }>('jobMessages', {
    posted,
    async postQueued(job: JobRecord, ahead: number) {
      events.push('postQueued');
      posted.push({ jobId: job.id, ahead });
    },
    imageLocation: (delivered: number, image: number) =>
      image < 1 || image > delivered ? null : delivered === 4 ? { attachmentIndex: 0, gridCell: image - 1 } : { attachmentIndex: image - 1 },
  });
}

/** Live plans per member (`userId:guildId`): what the tier decision reads; recording them is not a unit-test concern. */
export function fakeTierSubscriptions(): TierSubscriptions & { readonly liveFor: Map<string, MemberSubscription[]> } {
  const liveFor = new Map<string, MemberSubscription[]>();
  return strict<TierSubscriptions & { liveFor: typeof liveFor }>('tierSubscriptions', {
    liveFor,
    async live(userId: string, guildId: string, now: Date) {
      return (liveFor.get(`${userId}:${guildId}`) ?? []).filter((subscription) => subscription.periodEnd.getTime() > now.getTime());
    },
  });
}

/** Every fake wired as the bot wires its ports; override what a test is about. */
export function fakeBot(card: PriceCard, overrides: Partial<BotPorts & BotOutbound> = {}) {
  const events: Events = [];
  const wallets = new Wallets();
  const jobStore = new FakeJobStore(wallets, events);
  const guildSettings = new FakeGuildSettings();
  const memberSettings = fakeMemberSettings();
  const ledger = fakeLedger(wallets);
  const tierSubscriptions = fakeTierSubscriptions();
  const queue = fakeQueue(events);
  const jobMessages = fakeJobMessages(events);
  let now = new Date('2026-12-02T12:00:00Z');
  const deps: BotPorts & BotOutbound = {
    ledger,
    tierSubscriptions,
    jobs: jobStore.port,
    jobCredits: jobStore.credits,
    queue,
    guildSettings,
    memberSettings,
    jobMessages,
    adminCredits: strict('adminCredits', {}),
    adminStats: strict('adminStats', {}),
    // No caps unless a test sets some; the caps themselves are checked in SQL (integration tests).
    spendingLimits: strict<SpendingLimits>('spendingLimits', { serverCapRules: async () => [], memberSpent: async () => ({ day: 0, month: 0 }) }),
    history: strict('history', {}),
    usage: strict('usage', {}),
    purchaseNotifier: strict('purchaseNotifier', {}),
    budgetAlertNotifier: strict('budgetAlertNotifier', {}),
    grantPolicy: { ownerIds: ['owner'], guildAdminsMayGrant: false, guildAdminDailyCap: 0, guildAdminTiers: 'all', freeDailyMax: null },
    card,
    log: createLogger('silent'),
    now: () => now,
    randomSeed: () => 42,
    ...overrides,
  };
  return {
    deps,
    events,
    wallets,
    jobStore,
    guildSettings,
    memberSettings,
    ledger,
    queue,
    jobMessages,
    /** Moves the fake clock. */
    setNow: (at: Date) => {
      now = at;
    },
  };
}
