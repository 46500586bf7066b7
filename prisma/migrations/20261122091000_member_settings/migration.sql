-- A member's /settings in one guild: default model and size, auto-confirm threshold and
-- low-balance warning. No row means every default. The CHECKs repeat the ranges /settings
-- accepts (src/domain/member-settings.ts) so no writer can store a nonsense threshold.
CREATE TABLE "member_settings" (
    "user_id" TEXT NOT NULL,
    "guild_id" TEXT NOT NULL,
    "default_model" TEXT,
    "default_size" TEXT,
    "auto_confirm_max_credits" INTEGER NOT NULL DEFAULT 0,
    "low_balance_warning_at" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "member_settings_pkey" PRIMARY KEY ("user_id","guild_id"),
    CONSTRAINT "member_settings_auto_confirm_range" CHECK ("auto_confirm_max_credits" BETWEEN 0 AND 1000),
    CONSTRAINT "member_settings_low_balance_range" CHECK ("low_balance_warning_at" BETWEEN 0 AND 100000)
);
