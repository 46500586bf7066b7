/** A member's finished jobs of one UTC day, model and operation, added up. */
export interface UsageBucket {
  /** `YYYY-MM-DD` (UTC) of the jobs' finish. */
  readonly day: string;
  readonly model: string;
  readonly operation: string;
  readonly jobs: number;
  readonly imagesRequested: number;
  readonly imagesDelivered: number;
  /** Delivered images of jobs the member kept (keep ⭐). */
  readonly imagesKept: number;
  readonly creditsCharged: number;
  readonly creditsRefunded: number;
}

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
