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

-- A job that needs several provider predictions (a /batch of distinct prompts on Replicate makes
-- one per prompt) stores each here by its position, exactly as generation_job.prediction_id and
-- prediction_creating_since store a job's single prediction.
CREATE TABLE "job_prediction_part" (
    "job_id" UUID NOT NULL,
    "part" INTEGER NOT NULL,
    "prediction_id" TEXT,
    "creating_since" TIMESTAMPTZ(3),

    CONSTRAINT "job_prediction_part_pkey" PRIMARY KEY ("job_id","part")
);
