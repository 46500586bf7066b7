// Members' /settings (member_settings) through Prisma Client.
import type pg from 'pg';
import { defaultMemberSettings } from '../domain/settings/member-settings.js';
import type { MemberSettingsStore } from '../use-cases/ports/member-settings.js';
import type { PrismaClient } from './generated/client.js';

const fields = { defaultModel: true, defaultSize: true, autoConfirmMaxCredits: true, lowBalanceWarningAt: true, dailyCap: true, monthlyCap: true } as const;

/**
 * A read of the table, for the start-up warm-up (src/db/warm-up.ts): what it saves a cold
 * connection is loading the table's catalog entries, which any statement on it does.
 */
export const rehearseMemberSettingsRead = (client: pg.ClientBase, memberId: string) =>
  client.query(
    `SELECT default_model, default_size, auto_confirm_max_credits, low_balance_warning_at FROM member_settings WHERE user_id = $1 AND guild_id = $1`,
    [memberId],
  );

export function createPgMemberSettingsStore(prisma: PrismaClient): MemberSettingsStore {
  const where = (userId: string, guildId: string) => ({ userId_guildId: { userId, guildId } });
  return {
    async get(userId, guildId) {
      return (await prisma.memberSettings.findUnique({ where: where(userId, guildId), select: fields })) ?? defaultMemberSettings;
    },
    async update(userId, guildId, change) {
      // One statement (INSERT … ON CONFLICT DO UPDATE, Prisma's native upsert) that sets only the
      // fields given (Prisma leaves out the undefined ones), so a field left out keeps its value
      // even when two /settings race (each only touches what it names).
      return prisma.memberSettings.upsert({
        where: where(userId, guildId),
        create: { userId, guildId, ...change },
        update: { ...change, updatedAt: new Date() },
        select: fields,
      });
    },
    async reset(userId, guildId) {
      await prisma.memberSettings.deleteMany({ where: { userId, guildId } });
    },
  };
}
