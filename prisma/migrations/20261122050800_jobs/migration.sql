-- CreateEnum
CREATE TYPE "quote_status" AS ENUM ('open', 'confirmed', 'cancelled');

-- CreateEnum
CREATE TYPE "job_status" AS ENUM ('queued', 'running', 'succeeded', 'partial', 'failed');

-- CreateTable
CREATE TABLE "quote" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" TEXT NOT NULL,
    "guild_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "breakdown" JSONB NOT NULL,
    "price" INTEGER NOT NULL,
    "tier_name" TEXT NOT NULL,
    "status" "quote_status" NOT NULL DEFAULT 'open',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_at" TIMESTAMPTZ(3),

    CONSTRAINT "quote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "generation_job" (
    "id" UUID NOT NULL,
    "quote_id" UUID NOT NULL,
    "hold_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "guild_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "price" INTEGER NOT NULL,
    "tier_name" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "status" "job_status" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "prediction_id" TEXT,
    "prediction_creating_since" TIMESTAMPTZ(3),
    "images_delivered" INTEGER NOT NULL DEFAULT 0,
    "credits_charged" INTEGER,
    "credits_refunded" INTEGER,
    "failure_reason" TEXT,
    "member_message" TEXT,
    "provider_cost_usd" DECIMAL(12,6),
    "predict_time_seconds" DOUBLE PRECISION,
    "enqueued_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "deadline_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "generation_job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "quote_user_id_created_at_idx" ON "quote"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "generation_job_quote_id_key" ON "generation_job"("quote_id");

-- CreateIndex
CREATE UNIQUE INDEX "generation_job_hold_id_key" ON "generation_job"("hold_id");

-- CreateIndex
CREATE INDEX "generation_job_status_deadline_at_idx" ON "generation_job"("status", "deadline_at");

-- CreateIndex
CREATE INDEX "generation_job_user_id_status_idx" ON "generation_job"("user_id", "status");
