-- The public job message: the bot posts it when a job is confirmed and edits it through
-- queued → generating → the images (or the refund). Its id lets a retried job edit the same
-- message, and lets upscale / variations / /show job find the delivered images again
-- (Discord attachment URLs expire, so we keep where they are, not the URLs).
ALTER TABLE "generation_job" ADD COLUMN "message_id" TEXT;

-- Queue position: queued jobs ahead of one in priority order.
CREATE INDEX "generation_job_status_priority_created_at_idx" ON "generation_job"("status", "priority", "created_at");

-- A member's recent jobs in a guild (/show job autocomplete).
CREATE INDEX "generation_job_user_id_guild_id_created_at_idx" ON "generation_job"("user_id", "guild_id", "created_at");
