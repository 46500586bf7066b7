// Members' /settings (member_settings) through Prisma Client.
import type pg from 'pg';
import { isLane } from '../domain/lanes/lanes.js';
import { defaultMemberSettings, type MemberSettings } from '../domain/settings/member-settings.js';
import type { MemberSettingsStore } from '../use-cases/ports/member-settings.js';
import type { PrismaClient } from './generated/client.js';

/** Every field of a member's /settings, as Prisma selects them (the bench reads the same). */
export const memberSettingsSelect = {
  defaultModel: true,
  defaultSize: true,
  autoConfirmMaxCredits: true,
  lowBalanceWarningAt: true,
  defaultLane: true,
  dailyCap: true,
  monthlyCap: true,
} as const;

/** The column is CHECKed to hold a lane or NULL; anything else read back means the schema moved. */
const stored = (row: Omit<MemberSettings, 'defaultLane'> & { defaultLane: string | null }): MemberSettings => ({
  ...row,
  defaultLane: row.defaultLane !== null && isLane(row.defaultLane) ? row.defaultLane : null,
});

/**
 * A read of the table, for the start-up warm-up (src/db/warm-up.ts): what it saves a cold
 * connection is loading the table's catalog entries, which any statement on it does.
 */
export const rehearseMemberSettingsRead = (client: pg.ClientBase, memberId: string) =>
  client.query(
    `SELECT default_model, default_size, auto_confirm_max_credits, low_balance_warning_at, default_lane, daily_cap, monthly_cap FROM member_settings WHERE user_id = $1 AND guild_id = $1`,
    [memberId],
  );

export function createPgMemberSettingsStore(prisma: PrismaClient): MemberSettingsStore {
  const where = (userId: string, guildId: string) => ({ userId_guildId: { userId, guildId } });
  return {
    async get(userId, guildId) {
      const row = await prisma.memberSettings.findUnique({ where: where(userId, guildId), select: memberSettingsSelect });
      return row === null ? defaultMemberSettings : stored(row);
    },
    async update(userId, guildId, change) {
      // One statement (INSERT … ON CONFLICT DO UPDATE, Prisma's native upsert) that sets only the
      // fields given (Prisma leaves out the undefined ones), so a field left out keeps its value
      // even when two /settings race (each only touches what it names).
      return stored(
        await prisma.memberSettings.upsert({
          where: where(userId, guildId),
          create: { userId, guildId, ...change },
          update: { ...change, updatedAt: new Date() },
          select: memberSettingsSelect,
        }),
      );
    },
    async reset(userId, guildId) {
      await prisma.memberSettings.deleteMany({ where: { userId, guildId } });
    },
  };
}
