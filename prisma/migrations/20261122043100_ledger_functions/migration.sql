-- The ledger's rules, enforced where the money is: constraints that make bad states impossible and
-- one function per credit operation. Each function is a single round trip from src/ledger (the only
-- caller) and runs in that statement's transaction, so an operation applies whole or not at all.
--
-- Spending order everywhere: soonest expiry first, never-expiring last; ties by spend_rank
-- (free 0, tier 1, grant 2, topup 3), then lot id. Locks on lots are always taken in that order,
-- so concurrent operations on one member queue up instead of deadlocking.

ALTER TABLE credit_lot
  ADD CONSTRAINT credit_lot_amount_positive CHECK (amount > 0),
  ADD CONSTRAINT credit_lot_remaining_within_amount CHECK (remaining >= 0 AND remaining <= amount),
  ADD CONSTRAINT credit_lot_topups_are_global CHECK ((kind = 'topup') = (guild_id IS NULL));

ALTER TABLE credit_hold
  ADD CONSTRAINT credit_hold_amount_positive CHECK (amount > 0),
  ADD CONSTRAINT credit_hold_settlement_adds_up CHECK (
    captured_amount >= 0 AND refunded_amount >= 0 AND
    CASE status
      WHEN 'held' THEN captured_amount = 0 AND refunded_amount = 0 AND settled_at IS NULL
      ELSE captured_amount + refunded_amount = amount AND settled_at IS NOT NULL
    END);

ALTER TABLE ledger_entry
  ADD CONSTRAINT ledger_entry_moves_credits CHECK (delta_available <> 0 OR delta_held <> 0);

-- Lots and holds are updated in place many times; free space on each page lets PostgreSQL do
-- that without touching indexes (HOT updates). For the same reason no index mentions `remaining`.
ALTER TABLE credit_lot SET (fillfactor = 70);
ALTER TABLE credit_hold SET (fillfactor = 80);

-- The ledger is append-only: history is never rewritten, corrections are new entries.
CREATE FUNCTION ledger_entry_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entry is append-only (% refused)', TG_OP;
END $$;

CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_entry
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_is_append_only();

-- Entries point at lots and holds without foreign keys (see schema.prisma); instead, neither is
-- ever deleted, so every entry's lot and hold exist for as long as the ledger does.
CREATE FUNCTION ledger_rows_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are never deleted (the ledger refers to them)', TG_TABLE_NAME;
END $$;

CREATE TRIGGER credit_lot_kept BEFORE DELETE ON credit_lot
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_rows_are_kept();
CREATE TRIGGER credit_hold_kept BEFORE DELETE ON credit_hold
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_rows_are_kept();

CREATE FUNCTION ledger_spend_rank(p_kind lot_kind) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_kind WHEN 'free' THEN 0 WHEN 'tier' THEN 1 WHEN 'grant' THEN 2 ELSE 3 END::smallint
$$;

-- Idempotency keys are namespaced by operation ('grant:', 'hold:', 'revoke:', 'settle:',
-- 'expire:', 'restore:') so a caller's key for one kind of operation never collides with another's.

-- Grant: creates a lot once per p_key (its source key). Outcome 'created' or 'already'.
CREATE FUNCTION ledger_grant(
  p_key text, p_user text, p_guild text, p_kind lot_kind, p_amount int, p_expires_at timestamptz,
  p_period_key text, p_tier_name text, p_actor text, p_reason text
) RETURNS TABLE (outcome text, lot_id bigint, amount int, expires_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE v_lot credit_lot;
BEGIN
  INSERT INTO credit_lot AS l (user_id, guild_id, kind, spend_rank, amount, remaining, expires_at, source_key, period_key, tier_name)
  VALUES (p_user, p_guild, p_kind, ledger_spend_rank(p_kind), p_amount, p_amount, p_expires_at, 'grant:' || p_key, p_period_key, p_tier_name)
  ON CONFLICT (source_key) DO NOTHING
  RETURNING l.* INTO v_lot;
  IF v_lot.id IS NULL THEN
    RETURN QUERY SELECT 'already'::text, l.id, l.amount, l.expires_at FROM credit_lot l WHERE l.source_key = 'grant:' || p_key;
    RETURN;
  END IF;
  INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, delta_available, delta_held, actor_id, reason)
  VALUES ('grant:' || p_key, 1, 'grant', p_user, p_guild, v_lot.id, p_kind, p_amount, 0, p_actor, p_reason);
  RETURN QUERY SELECT 'created'::text, v_lot.id, v_lot.amount, v_lot.expires_at;
END $$;

-- Tier allowance for one period: grants what the tier allows minus what tier lots of this period
-- already granted, so an upgrade mid-period grants the difference and a downgrade grants nothing.
-- Serialised per member and period so two roles seen at once cannot both be granted in full.
CREATE FUNCTION ledger_grant_tier_allowance(
  p_user text, p_guild text, p_period_key text, p_tier_name text, p_allowance int, p_expires_at timestamptz
) RETURNS TABLE (outcome text, lot_id bigint, amount int, expires_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE v_granted int;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('tier:' || p_guild || ':' || p_user || ':' || p_period_key, 0));
  SELECT coalesce(sum(l.amount), 0) INTO v_granted FROM credit_lot l
   WHERE l.user_id = p_user AND l.guild_id = p_guild AND l.kind = 'tier' AND l.period_key = p_period_key;
  IF p_allowance - v_granted <= 0 THEN
    RETURN QUERY SELECT 'already'::text, NULL::bigint, 0, NULL::timestamptz;
    RETURN;
  END IF;
  RETURN QUERY SELECT * FROM ledger_grant(
    'tier:' || p_guild || ':' || p_user || ':' || p_period_key || ':' || p_tier_name,
    p_user, p_guild, 'tier', p_allowance - v_granted, p_expires_at, p_period_key, p_tier_name, 'system',
    CASE WHEN v_granted = 0 THEN p_tier_name || ' allowance ' || p_period_key
         ELSE p_tier_name || ' upgrade difference ' || p_period_key END);
END $$;

-- Hold: moves p_amount from the member's spendable lots into a new hold, in spending order.
-- Outcomes: 'held'; 'already' (p_key was used for the same hold: nothing changes);
-- 'key_reused' (p_key was used for a different hold); 'insufficient' (nothing changes).
-- `available` is what the member could spend when the hold was refused.
--
-- Lots are locked first and nothing is written until the hold is known to fit, so a refusal
-- leaves no trace. Writes are single-row statements by primary key: set-based joins over arrays
-- got generic plans that scanned credit_lot and cost half the throughput (measured).
CREATE FUNCTION ledger_hold(
  p_key text, p_user text, p_guild text, p_amount int, p_now timestamptz, p_actor text, p_reason text
) RETURNS TABLE (outcome text, hold_id uuid, amount int, available int)
LANGUAGE plpgsql AS $$
DECLARE
  v_hold uuid;
  v_existing credit_hold;
  v_need int := p_amount;
  v_seen int := 0;
  v_lots credit_lot[] := '{}';
  v_takes int[] := '{}';
  r credit_lot;
BEGIN
  -- A replay (a retried job, a double click) is answered without touching any lot.
  SELECT * INTO v_existing FROM credit_hold h WHERE h.idempotency_key = p_key;
  IF v_existing.id IS NULL THEN
    FOR r IN
      SELECT * FROM credit_lot l
       WHERE l.user_id = p_user AND (l.guild_id = p_guild OR l.guild_id IS NULL)
         AND l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > p_now)
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
    -- Refused or beaten to the key: a concurrent call with the same key may have committed
    -- while this one waited for the lots; if so, this is a replay of it.
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

-- Settle: ends a hold exactly once. The first p_capture credits (in the order they were held, so
-- soonest-expiring credits are the ones spent) are captured; the rest go back to the very lots
-- they came from. A lot that expired meanwhile gets its share back as a new lot of the same kind
-- that expires p_restore_ttl from now, so a refund never loses credits.
-- Outcomes: 'settled'; 'already' (with the first settlement's figures); 'not_found';
-- 'invalid_amount' (p_capture outside 0..amount; nothing changes).
CREATE FUNCTION ledger_settle(
  p_hold uuid, p_capture int, p_now timestamptz, p_actor text, p_reason text, p_restore_ttl interval
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
  r record;
BEGIN
  UPDATE credit_hold h
     SET status = CASE WHEN p_capture > 0 THEN 'captured'::hold_status ELSE 'refunded'::hold_status END,
         captured_amount = p_capture, refunded_amount = h.amount - p_capture,
         settled_at = p_now, settle_reason = p_reason
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
    -- The hold's own entries carry its idempotency key, found through that unique index.
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
      IF r.expires_at IS NOT NULL AND r.expires_at <= p_now THEN
        INSERT INTO credit_lot (user_id, guild_id, kind, spend_rank, amount, remaining, expires_at, source_key, restored_from_lot_id)
        VALUES (v_hold.user_id, r.guild_id, r.lot_kind, ledger_spend_rank(r.lot_kind), v_back, v_back,
                p_now + p_restore_ttl, 'restore:' || p_hold || ':' || r.lot_id, r.lot_id)
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

-- Revoke: takes up to p_amount of the member's unspent, unheld credits in this guild, from lots of
-- the given kinds, in spending order. All or nothing: 'revoked', 'already' (p_key replayed),
-- or 'insufficient' with how much was revocable.
CREATE FUNCTION ledger_revoke(
  p_key text, p_user text, p_guild text, p_amount int, p_kinds lot_kind[], p_now timestamptz, p_actor text, p_reason text
) RETURNS TABLE (outcome text, revoked int, available int)
LANGUAGE plpgsql AS $$
DECLARE
  v_need int := p_amount;
  v_seen int := 0;
  v_done int;
  v_lots credit_lot[] := '{}';
  v_takes int[] := '{}';
  r credit_lot;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('revoke:' || p_key, 0));
  SELECT -sum(e.delta_available) INTO v_done FROM ledger_entry e WHERE e.idempotency_key = 'revoke:' || p_key;
  IF v_done IS NOT NULL THEN
    RETURN QUERY SELECT 'already'::text, v_done, NULL::int;
    RETURN;
  END IF;
  FOR r IN
    SELECT * FROM credit_lot l
     WHERE l.user_id = p_user AND l.guild_id = p_guild AND l.kind = ANY (p_kinds)
       AND l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > p_now)
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

-- Expiry sweep: writes an expiry entry for what is left in lots past their expiry. Safe to run
-- from several processes at once (SKIP LOCKED) and to repeat (an expired lot has nothing left).
CREATE FUNCTION ledger_expire(p_now timestamptz, p_limit int)
RETURNS TABLE (lots int, credits int)
LANGUAGE plpgsql AS $$
DECLARE v_lots int := 0; v_credits int := 0; r record;
BEGIN
  FOR r IN
    SELECT l.id, l.user_id, l.guild_id, l.kind, l.remaining FROM credit_lot l
     WHERE l.expires_at <= p_now AND l.remaining > 0
     ORDER BY l.expires_at, l.id
     LIMIT p_limit
     FOR UPDATE SKIP LOCKED
  LOOP
    UPDATE credit_lot SET remaining = 0 WHERE id = r.id;
    INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, delta_available, delta_held, actor_id, reason)
    VALUES ('expire:' || r.id, 1, 'expire', r.user_id, r.guild_id, r.id, r.kind, -r.remaining, 0, 'system', 'expired');
    v_lots := v_lots + 1;
    v_credits := v_credits + r.remaining;
  END LOOP;
  RETURN QUERY SELECT v_lots, v_credits;
END $$;
