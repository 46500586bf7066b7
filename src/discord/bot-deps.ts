import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { Logger } from '../shared/logger.js';
import type { AuditLog } from '../use-cases/ports/audit-log.js';
import type { GenerationQueue } from '../use-cases/ports/generation-queue.js';
import type { GuildSettingsStore } from '../use-cases/ports/guild-settings.js';
import type { JobStore } from '../use-cases/ports/job-store.js';
import type { Ledger } from '../use-cases/ports/ledger.js';

/** What the interaction handlers need; built once by the entry point. */
export interface BotDeps {
  readonly ledger: Ledger;
  readonly jobs: JobStore;
  readonly queue: GenerationQueue;
  readonly guildSettings: GuildSettingsStore;
  readonly audit: AuditLog;
  readonly card: PriceCard;
  readonly log: Logger;
  readonly now: () => Date;
  readonly randomSeed: () => number;
  /** The operator's banned words (BANNED_WORDS), refused in prompts in every guild. @defaultValue none */
  readonly operatorBannedWords?: readonly string[];
  /** A confirmed job not finished by then is ended and refunded. @defaultValue 45 minutes */
  readonly jobDeadlineMs?: number;
}

/** The member's role ids, whether discord.js cached the member or only has the raw payload. */
export function memberRoleIds(member: unknown): string[] {
  const roles = (member as { roles?: string[] | { cache: Map<string, unknown> } } | null)?.roles;
  if (Array.isArray(roles)) return roles;
  return roles ? [...roles.cache.keys()] : [];
}
