-- A guild's own settings, changed with `/admin config`. No row means every default. Every change
-- is written in the same transaction as its admin_audit entry (who, old → new, why).
CREATE TABLE "guild_config" (
    "guild_id" TEXT NOT NULL,
    "free_daily_credits" INTEGER,
    "allowed_channel_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "max_running_jobs_per_member" INTEGER,
    "banned_words" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "banned_patterns" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "nsfw" TEXT NOT NULL DEFAULT 'blocked',
    "spoiler_results" BOOLEAN NOT NULL DEFAULT false,
    "updated_by" TEXT,
    "updated_at" TIMESTAMPTZ(3),

    CONSTRAINT "guild_config_pkey" PRIMARY KEY ("guild_id")
);

-- What Prisma's schema cannot say: the values the domain accepts (src/domain/guild-config.ts).
ALTER TABLE "guild_config"
    ADD CONSTRAINT "guild_config_nsfw_check" CHECK ("nsfw" IN ('blocked', 'age-restricted-channels')),
    ADD CONSTRAINT "guild_config_free_daily_credits_check" CHECK ("free_daily_credits" IS NULL OR "free_daily_credits" >= 0),
    ADD CONSTRAINT "guild_config_max_running_jobs_check" CHECK ("max_running_jobs_per_member" IS NULL OR "max_running_jobs_per_member" >= 1);
