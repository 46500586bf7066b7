// A guild's role → tier mappings (guild_tier_role) and config (guild-config-store.ts) through
// Prisma Client. A mapping change and its audit row commit together in one interactive transaction.
import type { GuildSettingsStore } from '../use-cases/ports/guild-settings.js';
import { auditRow } from './audit-log.js';
import { Prisma, type PrismaClient } from './generated/client.js';
import { readGuildConfig, updateGuildConfig } from './guild-config-store.js';

/** Prisma's error code for a record an operation required but did not find. */
const recordNotFound = 'P2025';

export function createPgGuildSettingsStore(prisma: PrismaClient): GuildSettingsStore {
  const roleTierMappings = (guildId: string) => prisma.guildTierRole.findMany({ where: { guildId }, select: { roleId: true, tierName: true, setBy: true } });
  const key = (guildId: string, roleId: string) => ({ guildId_roleId: { guildId, roleId } });
  return {
    // Every mapping: the operator's policy is applied on top (src/use-cases/apply-server-admin-policy.ts).
    roleTiers: async (guildId) => new Map((await roleTierMappings(guildId)).map((mapping) => [mapping.roleId, mapping.tierName])),
    roleTierMappings,
    async setRoleTier(guildId, roleId, tierName, setBy, note) {
      const upsert = (client: Pick<PrismaClient, 'guildTierRole'>) =>
        client.guildTierRole.upsert({ where: key(guildId, roleId), create: { guildId, roleId, tierName, setBy }, update: { tierName, setBy } });
      if (note === undefined) {
        await upsert(prisma);
        return;
      }
      await prisma.$transaction(async (tx) => {
        const previous = await tx.guildTierRole.findUnique({ where: key(guildId, roleId), select: { tierName: true } });
        await upsert(tx);
        await tx.adminAudit.create({
          data: auditRow({
            guildId,
            actorId: setBy,
            action: 'tier.set',
            subject: roleId,
            details: { roleName: note.roleName, from: previous?.tierName ?? null, to: tierName },
            ...(note.reason === undefined ? {} : { reason: note.reason }),
          }),
        });
      });
    },
    async removeRoleTier(guildId, roleId, note) {
      if (note === undefined) return (await prisma.guildTierRole.deleteMany({ where: { guildId, roleId } })).count > 0;
      try {
        return await prisma.$transaction(async (tx) => {
          // DELETE … RETURNING: the tier recorded as `from` is the one this removal removed.
          const removed = await tx.guildTierRole.delete({ where: key(guildId, roleId), select: { tierName: true } });
          await tx.adminAudit.create({
            data: auditRow({
              guildId,
              actorId: note.actorId,
              action: 'tier.remove',
              subject: roleId,
              details: { roleName: note.roleName, from: removed.tierName },
              ...(note.reason === undefined ? {} : { reason: note.reason }),
            }),
          });
          return true;
        });
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === recordNotFound) return false;
        throw error;
      }
    },
    config: (guildId) => readGuildConfig(prisma, guildId),
    updateConfig: updateGuildConfig(prisma),
  };
}
