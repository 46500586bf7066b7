import type { UsageBucket } from '../../domain/usage/usage-summary.js';

export type { UsageBucket };

export interface UsageQuery {
  readonly userId: string;
  readonly guildId: string;
  /** Jobs finished in [since, until). */
  readonly since: Date;
  readonly until: Date;
  readonly model?: string | undefined;
}

/** Reads what a member's finished jobs cost, for /usage. */
export interface UsageReader {
  buckets(query: UsageQuery): Promise<UsageBucket[]>;
}
