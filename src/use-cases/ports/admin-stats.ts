import type { Lane } from '../../domain/pricing/card-terms.js';

/** Raw figures of one guild over a period, as the database aggregates them. */
export interface GuildUsageFigures {
  /** Finished jobs by model: credits captured, images delivered and what the provider cost. */
  readonly byModel: readonly {
    readonly model: string;
    readonly jobs: number;
    readonly images: number;
    readonly creditsCharged: number;
    readonly providerCostUsd: number;
  }[];
  /** Finished jobs by speed lane, slowest first: Relax costs the provider even when members pay nothing. */
  readonly byLane: readonly {
    readonly lane: Lane;
    readonly jobs: number;
    readonly images: number;
    readonly creditsCharged: number;
    readonly providerCostUsd: number;
  }[];
  readonly jobsByStatus: Readonly<Record<string, number>>;
  /** Automatic refunds of failed or partly failed jobs, by failure reason. */
  readonly jobRefunds: readonly { readonly reason: string; readonly jobs: number; readonly credits: number }[];
  /** Refunds admins gave with `/admin refund`. */
  readonly adminRefunds: { readonly count: number; readonly credits: number };
  /** Members by credits charged, most first. */
  readonly topSpenders: readonly { readonly userId: string; readonly credits: number; readonly jobs: number }[];
}

/** Read-only usage figures for `/admin stats`. */
export interface AdminStatsReader {
  guildUsage(guildId: string, since: Date, topSpenders: number): Promise<GuildUsageFigures>;
}
