-- One definition of the spending order (issue 13): the lots a member spends from, soonest-expiring
-- first (never-expiring top-ups last), then by kind (spend_rank), then oldest, locked for update.
-- Holding credits and an admin's revoke both take lots in this order; before, each had its own
-- copy of the query.
--
-- A member's lots in one guild: that guild's lots and their global top-ups (guild_id NULL), of the
-- given kinds (NULL: every kind), unexpired at p_now and not empty. Every lot returned is locked
-- (FOR UPDATE) for the caller's transaction; a lot the sweep empties while this waits for its
-- lock no longer matches (remaining 0) and is left out. The rows come back in this order: a
-- PL/pgSQL set-returning function hands its result back as it was produced.
CREATE FUNCTION ledger_spending_order(p_user text, p_guild text, p_kinds lot_kind[], p_now timestamptz)
RETURNS SETOF credit_lot
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY
    SELECT * FROM credit_lot l
     WHERE l.user_id = p_user AND (l.guild_id = p_guild OR l.guild_id IS NULL)
       AND (p_kinds IS NULL OR l.kind = ANY (p_kinds))
       AND l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > p_now)
     ORDER BY l.expires_at ASC NULLS LAST, l.spend_rank, l.id
     FOR UPDATE;
END $$;

-- Hold (as in *_ledger_clock), taking lots in the spending order.
CREATE OR REPLACE FUNCTION ledger_hold(
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
      SELECT * FROM ledger_spending_order(p_user, p_guild, NULL, v_now)
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

-- Revoke (as in *_ledger_clock), taking lots in the spending order. Revocable kinds are always
-- guild lots, so the shared order's global top-ups never match p_kinds here.
CREATE OR REPLACE FUNCTION ledger_revoke(
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
    SELECT * FROM ledger_spending_order(p_user, p_guild, p_kinds, v_now)
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
