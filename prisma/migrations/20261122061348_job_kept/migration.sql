-- AlterTable
ALTER TABLE "generation_job" ADD COLUMN     "kept_at" TIMESTAMPTZ(3);
