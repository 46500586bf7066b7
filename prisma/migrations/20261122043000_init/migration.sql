-- CreateEnum
CREATE TYPE "lot_kind" AS ENUM ('free', 'tier', 'topup', 'grant');

-- CreateEnum
CREATE TYPE "hold_status" AS ENUM ('held', 'captured', 'refunded');

-- CreateEnum
CREATE TYPE "entry_kind" AS ENUM ('grant', 'hold', 'capture', 'refund', 'expire', 'revoke');

-- CreateTable
CREATE TABLE "credit_lot" (
    "id" BIGSERIAL NOT NULL,
    "user_id" TEXT NOT NULL,
    "guild_id" TEXT,
    "kind" "lot_kind" NOT NULL,
    "spend_rank" SMALLINT NOT NULL,
    "amount" INTEGER NOT NULL,
    "remaining" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "source_key" TEXT NOT NULL,
    "period_key" TEXT,
    "tier_name" TEXT,
    "restored_from_lot_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_lot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_hold" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "idempotency_key" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "guild_id" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "status" "hold_status" NOT NULL DEFAULT 'held',
    "captured_amount" INTEGER NOT NULL DEFAULT 0,
    "refunded_amount" INTEGER NOT NULL DEFAULT 0,
    "reason" TEXT,
    "settle_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "credit_hold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entry" (
    "id" BIGSERIAL NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "line" SMALLINT NOT NULL,
    "kind" "entry_kind" NOT NULL,
    "user_id" TEXT NOT NULL,
    "guild_id" TEXT,
    "lot_id" BIGINT NOT NULL,
    "lot_kind" "lot_kind" NOT NULL,
    "hold_id" UUID,
    "delta_available" INTEGER NOT NULL,
    "delta_held" INTEGER NOT NULL,
    "actor_id" TEXT NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "credit_lot_source_key_key" ON "credit_lot"("source_key");

-- CreateIndex
CREATE INDEX "credit_lot_user_id_guild_id_idx" ON "credit_lot"("user_id", "guild_id");

-- CreateIndex
CREATE INDEX "credit_lot_expires_at_idx" ON "credit_lot"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "credit_hold_idempotency_key_key" ON "credit_hold"("idempotency_key");

-- CreateIndex
CREATE INDEX "credit_hold_user_id_guild_id_status_idx" ON "credit_hold"("user_id", "guild_id", "status");

-- CreateIndex
CREATE INDEX "ledger_entry_user_id_created_at_idx" ON "ledger_entry"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_idempotency_key_line_key" ON "ledger_entry"("idempotency_key", "line");
