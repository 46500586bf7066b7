-- CreateIndex
CREATE INDEX "generation_job_user_id_guild_id_finished_at_idx" ON "generation_job"("user_id", "guild_id", "finished_at");

-- CreateIndex
CREATE INDEX "ledger_entry_user_id_id_idx" ON "ledger_entry"("user_id", "id");
