-- CreateTable
CREATE TABLE "guild_tier_role" (
    "guild_id" TEXT NOT NULL,
    "role_id" TEXT NOT NULL,
    "tier_name" TEXT NOT NULL,
    "set_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guild_tier_role_pkey" PRIMARY KEY ("guild_id","role_id")
);
