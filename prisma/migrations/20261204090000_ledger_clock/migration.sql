-- The database's clock decides expiry (issue 12), and the expiry sweep can no longer wedge itself.
--
-- Until now every ledger function took the time as a parameter from Node (p_now). A settle whose
-- Node clock still said "before the expiry" could reach PostgreSQL after the sweep had emptied
-- the lot, and put credits back into it; the next sweep then wrote 'expire:<lot>' line 1 again,
-- hit the unique key, rolled back — and so did every sweep after it, once a minute, for every lot.
-- Now:
--   * ledger_now() is the only clock: PostgreSQL's clock_timestamp(), read by each function when it
--     decides — for a refund, after the lot it returns to is locked. No function takes a time.
--   * A lot the sweep has expired stays closed: a refund into it goes to a restored lot instead,
--     whatever the clock says (clocks can step back; the sweep's entry cannot).
--   * The sweep numbers a lot's expiry entries (line = last + 1, under the lot's lock), so even a
--     lot that regained credits is swept again instead of failing the whole batch.
--
-- Tests move time with ledger_clock: in a database where the setting ledger.settable_clock is
-- 'on' (test databases set it with ALTER DATABASE), a row there freezes ledger_now() at its `at`.
-- Anywhere else the table is ignored: a production ledger cannot be put on another clock by a row.

CREATE TABLE "ledger_clock" (
    "only_row" BOOLEAN NOT NULL DEFAULT true,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ledger_clock_pkey" PRIMARY KEY ("only_row")
);
ALTER TABLE ledger_clock ADD CONSTRAINT ledger_clock_one_row CHECK (only_row);

CREATE FUNCTION ledger_now() RETURNS timestamptz LANGUAGE sql VOLATILE AS $$
  SELECT CASE WHEN current_setting('ledger.settable_clock', true) = 'on'
              THEN coalesce((SELECT c.at FROM ledger_clock c), clock_timestamp())
              ELSE clock_timestamp() END
$$;

-- Hold (as in *_ledger_functions), on the database's clock.
DROP FUNCTION confirm_quote(uuid, text, timestamptz, int, timestamptz, text, text, timestamptz);
DROP FUNCTION ledger_hold(text, text, text, int, timestamptz, text, text);
CREATE FUNCTION ledger_hold(
  p_key text, p_user text, p_guild text, p_amount int, p_actor text, p_reason text
) RETURNS TABLE (outcome text, hold_id uuid, amount int, available int)
LANGUAGE plpgsql AS $$
DECLARE
  v_hold uuid;
  v_existing credit_hold;
  v_need int := p_amount;
  v_seen int := 0;
  v_lots credit_lot[] := '{}';
  v_takes int[] := '{}';
  v_now timestamptz := ledger_now();
  r credit_lot;
BEGIN
  SELECT * INTO v_existing FROM credit_hold h WHERE h.idempotency_key = p_key;
  IF v_existing.id IS NULL THEN
    -- A lot the sweep empties while this waits for it is skipped: its remaining is 0 when re-read.
    FOR r IN
      SELECT * FROM credit_lot l
       WHERE l.user_id = p_user AND (l.guild_id = p_guild OR l.guild_id IS NULL)
         AND l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > v_now)
       ORDER BY l.expires_at ASC NULLS LAST, l.spend_rank, l.id
       FOR UPDATE
    LOOP
      v_seen := v_seen + r.remaining;
      IF v_need > 0 THEN
        v_lots := v_lots || r;
        v_takes := v_takes || least(r.remaining, v_need);
        v_need := v_need - least(r.remaining, v_need);
      END IF;
      EXIT WHEN v_need = 0;
    END LOOP;

    IF v_need = 0 THEN
      INSERT INTO credit_hold AS h (idempotency_key, user_id, guild_id, amount, reason)
      VALUES (p_key, p_user, p_guild, p_amount, p_reason)
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING h.id INTO v_hold;
    END IF;
    IF v_hold IS NOT NULL THEN
      FOR i IN 1 .. array_length(v_lots, 1) LOOP
        UPDATE credit_lot SET remaining = remaining - v_takes[i] WHERE id = v_lots[i].id;
        INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, hold_id, delta_available, delta_held, actor_id, reason)
        VALUES ('hold:' || p_key, i, 'hold', p_user, v_lots[i].guild_id, v_lots[i].id, v_lots[i].kind, v_hold, -v_takes[i], v_takes[i], p_actor, p_reason);
      END LOOP;
      RETURN QUERY SELECT 'held'::text, v_hold, p_amount, NULL::int;
      RETURN;
    END IF;
    SELECT * INTO v_existing FROM credit_hold h WHERE h.idempotency_key = p_key;
    IF v_existing.id IS NULL THEN
      RETURN QUERY SELECT 'insufficient'::text, NULL::uuid, p_amount, v_seen;
      RETURN;
    END IF;
  END IF;
  RETURN QUERY SELECT
    CASE WHEN v_existing.user_id = p_user AND v_existing.guild_id = p_guild AND v_existing.amount = p_amount
         THEN 'already' ELSE 'key_reused' END,
    v_existing.id, v_existing.amount, NULL::int;
END $$;

-- Settle (as in *_ledger_functions). Whether a lot has expired is decided for each lot once it is
-- locked, so the sweep and this refund cannot both act on one lot at one time: a lot is expired
-- if the clock read then says so, or if the sweep has already written its expiry (the sweep
-- locks the lot too, so its entry is either committed before this looks or not yet begun).
DROP FUNCTION finish_job(uuid, int, timestamptz, text, text, numeric, double precision, interval);
DROP FUNCTION ledger_settle(uuid, int, timestamptz, text, text, interval);
CREATE FUNCTION ledger_settle(
  p_hold uuid, p_capture int, p_actor text, p_reason text, p_restore_ttl interval
) RETURNS TABLE (outcome text, status hold_status, captured int, refunded int)
LANGUAGE plpgsql AS $$
DECLARE
  v_hold credit_hold;
  v_to_capture int := p_capture;
  v_line int := 0;
  v_key text := 'settle:' || p_hold;
  v_cap int;
  v_back int;
  v_target bigint;
  v_now timestamptz;
  r record;
BEGIN
  UPDATE credit_hold h
     SET status = CASE WHEN p_capture > 0 THEN 'captured'::hold_status ELSE 'refunded'::hold_status END,
         captured_amount = p_capture, refunded_amount = h.amount - p_capture,
         settled_at = ledger_now(), settle_reason = p_reason
   WHERE h.id = p_hold AND h.status = 'held' AND p_capture BETWEEN 0 AND h.amount
  RETURNING h.* INTO v_hold;
  IF v_hold.id IS NULL THEN
    SELECT * INTO v_hold FROM credit_hold h WHERE h.id = p_hold;
    RETURN QUERY SELECT
      CASE WHEN v_hold.id IS NULL THEN 'not_found' WHEN v_hold.status = 'held' THEN 'invalid_amount' ELSE 'already' END,
      v_hold.status, v_hold.captured_amount, v_hold.refunded_amount;
    RETURN;
  END IF;

  FOR r IN
    SELECT e.lot_id, e.lot_kind, -e.delta_available AS took, l.guild_id, l.expires_at
      FROM ledger_entry e JOIN credit_lot l ON l.id = e.lot_id
     WHERE e.idempotency_key = 'hold:' || v_hold.idempotency_key AND e.kind = 'hold'
     ORDER BY e.line
       FOR UPDATE OF l
  LOOP
    v_cap := least(r.took, v_to_capture);
    v_to_capture := v_to_capture - v_cap;
    v_back := r.took - v_cap;
    IF v_cap > 0 THEN
      v_line := v_line + 1;
      INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, hold_id, delta_available, delta_held, actor_id, reason)
      VALUES (v_key, v_line, 'capture', v_hold.user_id, r.guild_id, r.lot_id, r.lot_kind, p_hold, 0, -v_cap, p_actor, p_reason);
    END IF;
    IF v_back > 0 THEN
      v_now := ledger_now();
      IF r.expires_at IS NOT NULL AND (r.expires_at <= v_now OR EXISTS (
           SELECT 1 FROM ledger_entry x WHERE x.idempotency_key = 'expire:' || r.lot_id)) THEN
        INSERT INTO credit_lot (user_id, guild_id, kind, spend_rank, amount, remaining, expires_at, source_key, restored_from_lot_id)
        VALUES (v_hold.user_id, r.guild_id, r.lot_kind, ledger_spend_rank(r.lot_kind), v_back, v_back,
                v_now + p_restore_ttl, 'restore:' || p_hold || ':' || r.lot_id, r.lot_id)
        RETURNING id INTO v_target;
      ELSE
        UPDATE credit_lot SET remaining = remaining + v_back WHERE id = r.lot_id;
        v_target := r.lot_id;
      END IF;
      v_line := v_line + 1;
      INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, hold_id, delta_available, delta_held, actor_id, reason)
      VALUES (v_key, v_line, 'refund', v_hold.user_id, r.guild_id, v_target, r.lot_kind, p_hold, v_back, -v_back, p_actor, p_reason);
    END IF;
  END LOOP;
  RETURN QUERY SELECT 'settled'::text, v_hold.status, v_hold.captured_amount, v_hold.refunded_amount;
END $$;

-- Revoke (as in *_ledger_functions), on the database's clock.
DROP FUNCTION ledger_revoke(text, text, text, int, lot_kind[], timestamptz, text, text);
CREATE FUNCTION ledger_revoke(
  p_key text, p_user text, p_guild text, p_amount int, p_kinds lot_kind[], p_actor text, p_reason text
) RETURNS TABLE (outcome text, revoked int, available int)
LANGUAGE plpgsql AS $$
DECLARE
  v_need int := p_amount;
  v_seen int := 0;
  v_done int;
  v_lots credit_lot[] := '{}';
  v_takes int[] := '{}';
  v_now timestamptz;
  r credit_lot;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('revoke:' || p_key, 0));
  SELECT -sum(e.delta_available) INTO v_done FROM ledger_entry e WHERE e.idempotency_key = 'revoke:' || p_key;
  IF v_done IS NOT NULL THEN
    RETURN QUERY SELECT 'already'::text, v_done, NULL::int;
    RETURN;
  END IF;
  v_now := ledger_now();
  FOR r IN
    SELECT * FROM credit_lot l
     WHERE l.user_id = p_user AND l.guild_id = p_guild AND l.kind = ANY (p_kinds)
       AND l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > v_now)
     ORDER BY l.expires_at ASC NULLS LAST, l.spend_rank, l.id
     FOR UPDATE
  LOOP
    v_seen := v_seen + r.remaining;
    IF v_need > 0 THEN
      v_lots := v_lots || r;
      v_takes := v_takes || least(r.remaining, v_need);
      v_need := v_need - least(r.remaining, v_need);
    END IF;
  END LOOP;
  IF v_need > 0 THEN
    RETURN QUERY SELECT 'insufficient'::text, 0, v_seen;
    RETURN;
  END IF;
  FOR i IN 1 .. array_length(v_lots, 1) LOOP
    UPDATE credit_lot SET remaining = remaining - v_takes[i] WHERE id = v_lots[i].id;
    INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, delta_available, delta_held, actor_id, reason)
    VALUES ('revoke:' || p_key, i, 'revoke', p_user, v_lots[i].guild_id, v_lots[i].id, v_lots[i].kind, -v_takes[i], 0, p_actor, p_reason);
  END LOOP;
  RETURN QUERY SELECT 'revoked'::text, p_amount, v_seen - p_amount;
END $$;

-- Expiry sweep: on the database's clock, and each expiry entry numbered after the lot's last one,
-- so no lot can make the sweep fail (and a failed sweep would retry the same lots for ever).
DROP FUNCTION ledger_expire(timestamptz, int);
CREATE FUNCTION ledger_expire(p_limit int)
RETURNS TABLE (lots int, credits int)
LANGUAGE plpgsql AS $$
DECLARE v_lots int := 0; v_credits int := 0; v_line int; v_now timestamptz := ledger_now(); r record;
BEGIN
  FOR r IN
    SELECT l.id, l.user_id, l.guild_id, l.kind, l.remaining FROM credit_lot l
     WHERE l.expires_at <= v_now AND l.remaining > 0
     ORDER BY l.expires_at, l.id
     LIMIT p_limit
     FOR UPDATE SKIP LOCKED
  LOOP
    UPDATE credit_lot SET remaining = 0 WHERE id = r.id;
    SELECT coalesce(max(e.line), 0) + 1 INTO v_line FROM ledger_entry e WHERE e.idempotency_key = 'expire:' || r.id;
    INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, delta_available, delta_held, actor_id, reason)
    VALUES ('expire:' || r.id, v_line, 'expire', r.user_id, r.guild_id, r.id, r.kind, -r.remaining, 0, 'system', 'expired');
    v_lots := v_lots + 1;
    v_credits := v_credits + r.remaining;
  END LOOP;
  RETURN QUERY SELECT v_lots, v_credits;
END $$;

-- The balance and the allowances before it (as in *_grant_allowances), on the database's clock.
DROP FUNCTION ledger_grant_allowances(text, text, timestamptz, text, int, timestamptz, text, text, text, int, timestamptz);
DROP FUNCTION ledger_balance(text, text, timestamptz);
CREATE FUNCTION ledger_balance(p_user text, p_guild text)
RETURNS TABLE (held bigint, buckets jsonb)
LANGUAGE sql AS $$
  WITH c AS (SELECT ledger_now() AS now)
  SELECT
    (SELECT coalesce(sum(h.amount), 0) FROM credit_hold h
      WHERE h.user_id = p_user AND h.guild_id = p_guild AND h.status = 'held')::bigint,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', b.kind, 'available', b.available, 'next_expiry', b.next_expiry)), '[]'::jsonb)
       FROM (SELECT l.kind, sum(l.remaining) AS available, min(l.expires_at) AS next_expiry FROM credit_lot l, c
              WHERE l.user_id = p_user AND (l.guild_id = p_guild OR l.guild_id IS NULL)
                AND l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > c.now)
              GROUP BY l.kind) b)
$$;

CREATE FUNCTION ledger_grant_allowances(
  p_user text, p_guild text,
  p_free_key text, p_free_amount int, p_free_expires_at timestamptz, p_free_reason text,
  p_tier_period_key text, p_tier_name text, p_tier_allowance int, p_tier_expires_at timestamptz
) RETURNS TABLE (
  free_outcome text, free_lot_id bigint, free_amount int, free_expires_at timestamptz,
  tier_outcome text, tier_lot_id bigint, tier_amount int, tier_expires_at timestamptz,
  held bigint, buckets jsonb
)
LANGUAGE plpgsql AS $$
BEGIN
  IF p_free_key IS NOT NULL THEN
    SELECT g.outcome, g.lot_id, g.amount, g.expires_at INTO free_outcome, free_lot_id, free_amount, free_expires_at
      FROM ledger_grant(p_free_key, p_user, p_guild, 'free', p_free_amount, p_free_expires_at, NULL, NULL, 'system', p_free_reason) g;
  END IF;
  IF p_tier_period_key IS NOT NULL THEN
    SELECT g.outcome, g.lot_id, g.amount, g.expires_at INTO tier_outcome, tier_lot_id, tier_amount, tier_expires_at
      FROM ledger_grant_tier_allowance(p_user, p_guild, p_tier_period_key, p_tier_name, p_tier_allowance, p_tier_expires_at) g;
  END IF;
  SELECT b.held, b.buckets INTO held, buckets FROM ledger_balance(p_user, p_guild) b;
  RETURN NEXT;
END $$;

-- Confirm (as in *_job_interaction_webhook): the quote's expiry on the database's clock, read once
-- the quote is locked.
CREATE FUNCTION confirm_quote(p_quote uuid, p_user text, p_priority int, p_deadline timestamptz,
                              p_interaction_application text DEFAULT NULL, p_interaction_token text DEFAULT NULL,
                              p_interaction_expires timestamptz DEFAULT NULL)
RETURNS TABLE (outcome text, job_id uuid, price int, available int)
LANGUAGE plpgsql AS $$
DECLARE
  v_quote quote;
  v_hold record;
  v_job uuid;
  v_now timestamptz;
BEGIN
  SELECT * INTO v_quote FROM quote q WHERE q.id = p_quote FOR UPDATE;
  v_now := ledger_now();
  IF v_quote.id IS NULL THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::uuid, NULL::int, NULL::int; RETURN;
  ELSIF v_quote.user_id <> p_user THEN
    RETURN QUERY SELECT 'not_owner'::text, NULL::uuid, v_quote.price, NULL::int; RETURN;
  ELSIF v_quote.status = 'confirmed' THEN
    RETURN QUERY SELECT 'already'::text, j.id, v_quote.price, NULL::int FROM generation_job j WHERE j.quote_id = p_quote; RETURN;
  ELSIF v_quote.status = 'cancelled' THEN
    RETURN QUERY SELECT 'cancelled'::text, NULL::uuid, v_quote.price, NULL::int; RETURN;
  ELSIF v_quote.expires_at <= v_now THEN
    RETURN QUERY SELECT 'expired'::text, NULL::uuid, v_quote.price, NULL::int; RETURN;
  END IF;

  SELECT * INTO v_hold FROM ledger_hold('quote:' || p_quote, v_quote.user_id, v_quote.guild_id, v_quote.price,
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
  UPDATE quote SET status = 'confirmed', confirmed_at = v_now WHERE id = p_quote;
  RETURN QUERY SELECT 'confirmed'::text, v_job, v_quote.price, NULL::int;
END $$;

-- Finish (as in *_job_functions), on the database's clock.
CREATE FUNCTION finish_job(
  p_job uuid, p_delivered int, p_failure_reason text, p_member_message text,
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
  SELECT * INTO v_settle FROM ledger_settle(v_job.hold_id, v_job.price - v_refund, 'system',
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
    finished_at = ledger_now(), lease_owner = NULL, lease_until = NULL
  WHERE j.id = p_job
  RETURNING j.status INTO v_job.status;
  RETURN QUERY SELECT 'finished'::text, v_job.status, v_settle.captured, v_settle.refunded;
END $$;
