// Server caps and budgets (guild_spending_cap, guild_budget) through Prisma Client, each change
// with its audit entry in one transaction; this month's spending through the same SQL function
// confirm_quote counts with (guild_operator_spent_since), so /admin stats and the check agree.
import type { ServerBudget } from '../domain/spending/budget.js';
import type { SpendingLimits } from '../use-cases/ports/spending-limits.js';
import { auditRow } from './audit-log.js';
import type { GuildBudget, PrismaClient } from './generated/client.js';

const toBudget = (row: GuildBudget): ServerBudget =>
  row.monthlyUsd !== null
    ? { unit: 'usd', monthly: Number(row.monthlyUsd), setBy: row.setBy, setByOperator: row.setByOperator }
    : { unit: 'credits', monthly: row.monthlyCredits ?? 0, setBy: row.setBy, setByOperator: row.setByOperator };

export function createSpendingLimitsStore(prisma: PrismaClient): SpendingLimits {
  return {
    async serverCapRules(guildId) {
      const rows = await prisma.guildSpendingCap.findMany({ where: { guildId } });
      return rows.map((row) => ({
        kind: row.subjectKind === 'role' ? ('role' as const) : ('member' as const),
        subjectId: row.subjectId,
        daily: row.dailyCap,
        monthly: row.monthlyCap,
      }));
    },

    async setServerCap({ guildId, kind, subjectId, daily, monthly, actorId, reason }) {
      await prisma.$transaction(async (tx) => {
        const key = { guildId_subjectKind_subjectId: { guildId, subjectKind: kind, subjectId } };
        const before = await tx.guildSpendingCap.findUnique({ where: key });
        if (kind === 'role' && daily === null && monthly === null) await tx.guildSpendingCap.deleteMany({ where: { guildId, subjectKind: kind, subjectId } });
        else
          await tx.guildSpendingCap.upsert({
            where: key,
            create: { guildId, subjectKind: kind, subjectId, dailyCap: daily, monthlyCap: monthly, setBy: actorId },
            update: { dailyCap: daily, monthlyCap: monthly, setBy: actorId, updatedAt: new Date() },
          });
        await tx.adminAudit.create({
          data: auditRow({
            guildId,
            actorId,
            action: 'cap.set',
            subject: `${kind}:${subjectId}`,
            details: { from: before ? { daily: before.dailyCap, monthly: before.monthlyCap } : null, to: { daily, monthly } },
            ...(reason === undefined ? {} : { reason }),
          }),
        });
      });
    },

    async removeServerCap({ guildId, kind, subjectId, actorId, reason }) {
      return prisma.$transaction(async (tx) => {
        const removed = await tx.guildSpendingCap.deleteMany({ where: { guildId, subjectKind: kind, subjectId } });
        if (removed.count === 0) return false;
        await tx.adminAudit.create({
          data: auditRow({ guildId, actorId, action: 'cap.remove', subject: `${kind}:${subjectId}`, ...(reason === undefined ? {} : { reason }) }),
        });
        return true;
      });
    },

    async budget(guildId) {
      const row = await prisma.guildBudget.findUnique({ where: { guildId } });
      return row ? toBudget(row) : null;
    },

    async setBudget({ guildId, budget, actorId, byOperator, reason }) {
      return prisma.$transaction(async (tx) => {
        // One change per server at a time, even while it has no row to lock yet: otherwise an owner
        // who read "no budget" could overwrite the operator's budget made meanwhile.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('budget:' || ${guildId}))`;
        const before = await tx.guildBudget.findUnique({ where: { guildId } });
        if (before?.setByOperator && !byOperator) return 'operator_set' as const;
        if (budget === null) await tx.guildBudget.deleteMany({ where: { guildId } });
        else {
          const data = {
            monthlyCredits: budget.unit === 'credits' ? budget.monthly : null,
            monthlyUsd: budget.unit === 'usd' ? budget.monthly.toFixed(2) : null,
            setBy: actorId,
            setByOperator: byOperator,
            updatedAt: new Date(),
          };
          await tx.guildBudget.upsert({ where: { guildId }, create: { guildId, ...data }, update: data });
        }
        await tx.adminAudit.create({
          data: auditRow({
            guildId,
            actorId,
            action: 'budget.set',
            subject: 'budget',
            details: { from: before ? toBudget(before) : null, to: budget, byOperator },
            ...(reason === undefined ? {} : { reason }),
          }),
        });
        return 'changed' as const;
      });
    },

    async budgetSpending(guildId) {
      const row = await prisma.guildBudget.findUnique({ where: { guildId } });
      if (!row) return null;
      const budget = toBudget(row);
      const [spent] = await prisma.$queryRaw<{ spent: string }[]>`
        SELECT guild_operator_spent_since(${guildId}, date_trunc('month', ledger_now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', ${budget.unit})::text AS spent`;
      return { budget, spent: Number(spent?.spent ?? 0) };
    },

    async memberSpent(userId, guildId) {
      const [row] = await prisma.$queryRaw<{ day: number; month: number }[]>`
        SELECT member_spent_since(${userId}, ${guildId}, date_trunc('day', ledger_now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS day,
               member_spent_since(${userId}, ${guildId}, date_trunc('month', ledger_now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS month`;
      return { day: row?.day ?? 0, month: row?.month ?? 0 };
    },

    async alertChannel(guildId) {
      return (await prisma.guildConfig.findUnique({ where: { guildId }, select: { budgetAlertChannelId: true } }))?.budgetAlertChannelId ?? null;
    },

    async setAlertChannel(guildId, channelId, actorId, reason) {
      await prisma.$transaction(async (tx) => {
        const before = await tx.guildConfig.findUnique({ where: { guildId }, select: { budgetAlertChannelId: true } });
        await tx.guildConfig.upsert({ where: { guildId }, create: { guildId, budgetAlertChannelId: channelId }, update: { budgetAlertChannelId: channelId } });
        await tx.adminAudit.create({
          data: auditRow({
            guildId,
            actorId,
            action: 'config.set',
            subject: 'budgetAlertChannelId',
            details: { from: before?.budgetAlertChannelId ?? null, to: channelId },
            ...(reason === undefined ? {} : { reason }),
          }),
        });
      });
    },
  };
}
