// The guild_config table through Prisma Client: reading a guild's config, and changing it together
// with its audit entry in one interactive transaction (a row lock serialises two admins changing
// the same guild at once).
import {
  applyConfigChange,
  defaultGuildConfig,
  NSFW_POLICIES,
  settingOf,
  type ConfigChangeRefusal,
  type GuildConfig,
  type GuildConfigChange,
  type NsfwPolicy,
} from '../domain/guild-config.js';
import { err, ok } from '../domain/result.js';
import type { GuildSettingsStore } from '../use-cases/ports/guild-settings.js';
import { auditRow } from './audit-log.js';
import type { GuildConfig as GuildConfigRow, PrismaClient } from './generated/client.js';

const toConfig = (row: GuildConfigRow): GuildConfig => ({
  guildId: row.guildId,
  freeDailyCredits: row.freeDailyCredits,
  allowedChannelIds: row.allowedChannelIds,
  maxRunningJobsPerMember: row.maxRunningJobsPerMember,
  bannedWords: row.bannedWords,
  bannedPatterns: row.bannedPatterns,
  // The CHECK constraint keeps other values out; the fallback is the safe one.
  nsfw: (NSFW_POLICIES as readonly string[]).includes(row.nsfw) ? (row.nsfw as NsfwPolicy) : 'blocked',
  spoilerResults: row.spoilerResults,
  updatedBy: row.updatedBy,
  updatedAt: row.updatedAt,
});

export async function readGuildConfig(prisma: PrismaClient, guildId: string): Promise<GuildConfig> {
  const row = await prisma.guildConfig.findUnique({ where: { guildId } });
  return row ? toConfig(row) : defaultGuildConfig(guildId);
}

/** Thrown inside the transaction to roll back the row it created: a refused change writes nothing. */
class Refused extends Error {
  constructor(readonly refusal: ConfigChangeRefusal) {
    super(refusal.message);
  }
}

export const updateGuildConfig =
  (prisma: PrismaClient): GuildSettingsStore['updateConfig'] =>
  async (guildId, change: GuildConfigChange, actorId, reason) => {
    try {
      return ok(
        await prisma.$transaction(async (tx) => {
          await tx.guildConfig.createMany({ data: [{ guildId }], skipDuplicates: true });
          // Prisma Client has no SELECT … FOR UPDATE: the row lock is the one raw statement here.
          await tx.$executeRaw`SELECT 1 FROM guild_config WHERE guild_id = ${guildId} FOR UPDATE`;
          const before = toConfig(await tx.guildConfig.findUniqueOrThrow({ where: { guildId } }));
          const changed = applyConfigChange(before, change);
          if (!changed.ok) throw new Refused(changed.error);
          const after = changed.value;
          const updated = await tx.guildConfig.update({
            where: { guildId },
            data: {
              freeDailyCredits: after.freeDailyCredits,
              allowedChannelIds: [...after.allowedChannelIds],
              maxRunningJobsPerMember: after.maxRunningJobsPerMember,
              bannedWords: [...after.bannedWords],
              bannedPatterns: [...after.bannedPatterns],
              nsfw: after.nsfw,
              spoilerResults: after.spoilerResults,
              updatedBy: actorId,
              updatedAt: new Date(),
            },
          });
          const setting = settingOf(change);
          await tx.adminAudit.create({
            data: auditRow({
              guildId,
              actorId,
              action: 'config.set',
              subject: setting,
              details: { change: change.kind, from: before[setting], to: after[setting] },
              ...(reason === undefined ? {} : { reason }),
            }),
          });
          return { before, after: toConfig(updated) };
        }),
      );
    } catch (error) {
      if (error instanceof Refused) return err(error.refusal);
      throw error;
    }
  };
