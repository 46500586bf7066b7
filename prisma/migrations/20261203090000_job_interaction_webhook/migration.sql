-- A job's public message goes through the webhook of the interaction that confirmed it while its
-- token lives (15 minutes): that budget is the interaction's own (5 per 2 s per token), not the
-- channel's (about 5 per 5 s shared by everyone in it), so a busy channel does not queue every
-- job message behind all the others (src/discord/job-message-sender.ts). The token is stored with
-- the job, in the same statement that creates it, so every worker (and a retry after a crash)
-- writes to the same message; past its expiry the job falls back to the channel.
ALTER TABLE "generation_job" ADD COLUMN "interaction_application_id" TEXT,
                             ADD COLUMN "interaction_token" TEXT,
                             ADD COLUMN "interaction_expires_at" TIMESTAMPTZ(3);
ALTER TABLE "generation_job" ADD CONSTRAINT generation_job_interaction_whole CHECK (
  (interaction_application_id IS NULL) = (interaction_token IS NULL) AND (interaction_token IS NULL) = (interaction_expires_at IS NULL));

-- confirm_quote takes the confirming interaction's webhook (all three NULL when there is none:
-- a test, a tool). A replayed confirmation (a double click) keeps the first interaction's.
DROP FUNCTION confirm_quote(uuid, text, timestamptz, int, timestamptz);
CREATE FUNCTION confirm_quote(p_quote uuid, p_user text, p_now timestamptz, p_priority int, p_deadline timestamptz,
                              p_interaction_application text DEFAULT NULL, p_interaction_token text DEFAULT NULL,
                              p_interaction_expires timestamptz DEFAULT NULL)
RETURNS TABLE (outcome text, job_id uuid, price int, available int)
LANGUAGE plpgsql AS $$
DECLARE
  v_quote quote;
  v_hold record;
  v_job uuid;
BEGIN
  SELECT * INTO v_quote FROM quote q WHERE q.id = p_quote FOR UPDATE;
  IF v_quote.id IS NULL THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::uuid, NULL::int, NULL::int; RETURN;
  ELSIF v_quote.user_id <> p_user THEN
    RETURN QUERY SELECT 'not_owner'::text, NULL::uuid, v_quote.price, NULL::int; RETURN;
  ELSIF v_quote.status = 'confirmed' THEN
    RETURN QUERY SELECT 'already'::text, j.id, v_quote.price, NULL::int FROM generation_job j WHERE j.quote_id = p_quote; RETURN;
  ELSIF v_quote.status = 'cancelled' THEN
    RETURN QUERY SELECT 'cancelled'::text, NULL::uuid, v_quote.price, NULL::int; RETURN;
  ELSIF v_quote.expires_at <= p_now THEN
    RETURN QUERY SELECT 'expired'::text, NULL::uuid, v_quote.price, NULL::int; RETURN;
  END IF;

  SELECT * INTO v_hold FROM ledger_hold('quote:' || p_quote, v_quote.user_id, v_quote.guild_id, v_quote.price, p_now,
                                        p_user, 'job for quote ' || p_quote);
  IF v_hold.outcome = 'insufficient' THEN
    RETURN QUERY SELECT 'insufficient'::text, NULL::uuid, v_quote.price, v_hold.available; RETURN;
  ELSIF v_hold.outcome NOT IN ('held', 'already') THEN
    RAISE EXCEPTION 'confirm_quote: unexpected hold outcome % for quote %', v_hold.outcome, p_quote;
  END IF;

  INSERT INTO generation_job (id, quote_id, hold_id, user_id, guild_id, channel_id, request, price, tier_name, priority, deadline_at,
                              interaction_application_id, interaction_token, interaction_expires_at)
  VALUES (gen_random_uuid(), p_quote, v_hold.hold_id, v_quote.user_id, v_quote.guild_id, v_quote.channel_id,
          v_quote.request, v_quote.price, v_quote.tier_name, p_priority, p_deadline,
          p_interaction_application, p_interaction_token, p_interaction_expires)
  RETURNING id INTO v_job;
  UPDATE quote SET status = 'confirmed', confirmed_at = p_now WHERE id = p_quote;
  RETURN QUERY SELECT 'confirmed'::text, v_job, v_quote.price, NULL::int;
END $$;
