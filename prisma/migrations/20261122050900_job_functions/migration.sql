-- Jobs meet the ledger here. Confirming a quote and finishing a job each run in ONE transaction
-- with the ledger function they need (ledger_hold, ledger_settle), so a job row never exists
-- without its hold and a hold never ends without its job saying why.

ALTER TABLE quote ADD CONSTRAINT quote_price_positive CHECK (price > 0);
ALTER TABLE generation_job
  ADD CONSTRAINT generation_job_price_positive CHECK (price > 0),
  ADD CONSTRAINT generation_job_delivered_within_count CHECK (images_delivered >= 0 AND images_delivered <= (request->>'count')::int);

-- Confirm: the quote's owner turns an open, unexpired quote into a held job, once.
-- Outcomes: 'confirmed'; 'already' (this quote's job: a double click changes nothing);
-- 'not_found'; 'not_owner'; 'expired'; 'cancelled'; 'insufficient' (with `available`).
CREATE FUNCTION confirm_quote(p_quote uuid, p_user text, p_now timestamptz, p_priority int, p_deadline timestamptz)
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

  INSERT INTO generation_job (id, quote_id, hold_id, user_id, guild_id, channel_id, request, price, tier_name, priority, deadline_at)
  VALUES (gen_random_uuid(), p_quote, v_hold.hold_id, v_quote.user_id, v_quote.guild_id, v_quote.channel_id,
          v_quote.request, v_quote.price, v_quote.tier_name, p_priority, p_deadline)
  RETURNING id INTO v_job;
  UPDATE quote SET status = 'confirmed', confirmed_at = p_now WHERE id = p_quote;
  RETURN QUERY SELECT 'confirmed'::text, v_job, v_quote.price, NULL::int;
END $$;

-- Finish: ends a job exactly once with what was delivered, and settles its hold in the same
-- transaction. Delivered images are charged; failed ones refund their share of the price,
-- rounded in the member's favour. Outcomes: 'finished'; 'already' (with the first result);
-- 'not_found'.
CREATE FUNCTION finish_job(
  p_job uuid, p_delivered int, p_now timestamptz, p_failure_reason text, p_member_message text,
  p_provider_cost_usd numeric, p_predict_time_seconds double precision, p_restore_ttl interval
) RETURNS TABLE (outcome text, status job_status, charged int, refunded int)
LANGUAGE plpgsql AS $$
DECLARE
  v_job generation_job;
  v_count int;
  v_refund int;
  v_settle record;
BEGIN
  SELECT * INTO v_job FROM generation_job j WHERE j.id = p_job FOR UPDATE;
  IF v_job.id IS NULL THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::job_status, NULL::int, NULL::int; RETURN;
  ELSIF v_job.status IN ('succeeded', 'partial', 'failed') THEN
    RETURN QUERY SELECT 'already'::text, v_job.status, v_job.credits_charged, v_job.credits_refunded; RETURN;
  END IF;
  v_count := (v_job.request->>'count')::int;
  IF p_delivered < 0 OR p_delivered > v_count THEN
    RAISE EXCEPTION 'finish_job: % images delivered of %', p_delivered, v_count;
  END IF;
  v_refund := ceil(v_job.price::numeric * (v_count - p_delivered) / v_count)::int;
  SELECT * INTO v_settle FROM ledger_settle(v_job.hold_id, v_job.price - v_refund, p_now, 'system',
    CASE WHEN p_delivered = v_count THEN 'delivered ' || p_delivered || ' image(s)'
         WHEN p_delivered = 0 THEN 'refund: ' || coalesce(p_failure_reason, 'nothing delivered')
         ELSE 'delivered ' || p_delivered || ' of ' || v_count || ' image(s); refund: ' || coalesce(p_failure_reason, 'some failed') END,
    p_restore_ttl);
  IF v_settle.outcome NOT IN ('settled', 'already') THEN
    RAISE EXCEPTION 'finish_job: settling hold % gave %', v_job.hold_id, v_settle.outcome;
  END IF;
  UPDATE generation_job j SET
    status = CASE WHEN p_delivered = v_count THEN 'succeeded'::job_status WHEN p_delivered = 0 THEN 'failed'::job_status ELSE 'partial'::job_status END,
    images_delivered = p_delivered, credits_charged = v_settle.captured, credits_refunded = v_settle.refunded,
    failure_reason = p_failure_reason, member_message = p_member_message,
    provider_cost_usd = p_provider_cost_usd, predict_time_seconds = p_predict_time_seconds,
    finished_at = p_now, lease_owner = NULL, lease_until = NULL
  WHERE j.id = p_job
  RETURNING j.status INTO v_job.status;
  RETURN QUERY SELECT 'finished'::text, v_job.status, v_settle.captured, v_settle.refunded;
END $$;
