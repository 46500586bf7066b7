/** One admin action as recorded: who did what to what, and why. */
export interface AuditEntry {
  readonly guildId: string;
  readonly actorId: string;
  /** Dotted action name: `tier.set`, `tier.remove`, `config.set`, `credits.grant`, `job.refund`… */
  readonly action: string;
  readonly subject?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly reason?: string;
}

export interface RecordedAuditEntry extends AuditEntry {
  readonly id: string;
  readonly createdAt: Date;
}

/** The append-only record of admin actions that are not ledger entries. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(guildId: string, limit: number): Promise<RecordedAuditEntry[]>;
}
