import type { BotUseCases } from '../use-cases/bot-use-cases.js';
import type { Logger } from '../shared/logger.js';
import type { HeldForJob } from './render/interaction-failure.js';

/** What a handler gets for one interaction: the bot's use cases, and where this interaction's news goes. */
export interface HandlerContext {
  readonly useCases: BotUseCases;
  /** This interaction's log: every line carries its id, the member, the guild and the kind. */
  readonly log: Logger;
  /**
   * Told when handling the interaction held credits for a job, so an error afterwards tells the
   * member their credits are held rather than that nothing was charged.
   */
  readonly onCreditsHeld: (held: HeldForJob) => void;
}

/** The member's role ids, whether discord.js cached the member or only has the raw payload. */
export function memberRoleIds(member: unknown): string[] {
  const roles = (member as { roles?: string[] | { cache: Map<string, unknown> } } | null)?.roles;
  if (Array.isArray(roles)) return roles;
  return roles ? [...roles.cache.keys()] : [];
}
