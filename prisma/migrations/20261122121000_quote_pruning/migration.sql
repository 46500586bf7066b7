-- Quotes nobody confirmed are deleted some days after they expire (src/use-cases/prune-stale-quotes.ts):
-- every /imagine writes one, and without this the table only ever grew. This index finds them.
CREATE INDEX "quote_status_expires_at_idx" ON "quote"("status", "expires_at");
