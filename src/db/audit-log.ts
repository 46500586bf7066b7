// The admin audit log (admin_audit, append-only) through Prisma Client.
import type { AuditEntry, AuditLog } from '../use-cases/ports/audit-log.js';
import type { Prisma, PrismaClient } from './generated/client.js';

/**
 * The row of one entry; also for a store that records an entry inside its own transaction, with
 * the change it describes. Details are stored as JSON (a date becomes its ISO string).
 */
export const auditRow = ({ guildId, actorId, action, subject, details, reason }: AuditEntry): Prisma.AdminAuditUncheckedCreateInput => ({
  guildId,
  actorId,
  action,
  subject: subject ?? null,
  details: (details ?? {}) as Prisma.InputJsonObject,
  reason: reason ?? null,
});

export function createPgAuditLog(prisma: PrismaClient): AuditLog {
  return {
    async record(entry) {
      await prisma.adminAudit.create({ data: auditRow(entry) });
    },
    async list(guildId, limit) {
      const rows = await prisma.adminAudit.findMany({ where: { guildId }, orderBy: { id: 'desc' }, take: limit });
      return rows.map((row) => ({
        id: String(row.id),
        guildId: row.guildId,
        actorId: row.actorId,
        action: row.action,
        details: row.details as Record<string, unknown>,
        createdAt: row.createdAt,
        ...(row.subject === null ? {} : { subject: row.subject }),
        ...(row.reason === null ? {} : { reason: row.reason }),
      }));
    },
  };
}
