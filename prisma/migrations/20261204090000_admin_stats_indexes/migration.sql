-- /admin stats reads one guild's jobs and lots created since a date (src/db/admin-stats-store.ts).
-- No index started with guild_id, so each of its five statements read every job (or lot) of every
-- guild. These make each one a range scan of its own guild.
CREATE INDEX "generation_job_guild_id_created_at_idx" ON "generation_job"("guild_id", "created_at");

CREATE INDEX "credit_lot_guild_id_created_at_idx" ON "credit_lot"("guild_id", "created_at");
