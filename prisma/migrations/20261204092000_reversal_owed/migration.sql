-- A reversal of a purchase records what it could not take, and takes it when held credits come
-- back to the purchase (issue 12).
--
-- A reversal (*_purchase_reversal) took what was left of the purchase's lot and reported the rest
-- as a shortfall. Credits held by running jobs were part of that shortfall, and when the jobs
-- failed they went back to the lot, spendable again: buy 500, hold 480, dispute 500 → "taken 20,
-- shortfall 480", then 480 spendable credits for a payment the member took back.
--
-- Now each reversal is a row (purchase_reversal: its key, its target, whether a won dispute undid
-- it), and the purchase's lot carries `reversal_owed`: what the live reversals still claim,
--     owed = max(0, largest live target − credits reversed so far (net of restores)).
-- Whatever is owed is taken from the lot the moment credits are in it — now, or when a refund
-- brings held credits back (ledger_settle) — under the key of the reversal with the largest
-- target (its entries, line after line), so restoring that reversal gives all of it back.
-- Credits the member spent stay spent: they remain owed, never taken from anything else.
-- Invariants (tests check them): owed = the formula above, and owed > 0 ⇒ remaining = 0.
-- Everything happens under the lot's row lock, as before, so refunds, reversals and restores of
-- one purchase queue up.

-- AlterTable
ALTER TABLE "credit_lot" ADD COLUMN     "reversal_owed" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "purchase_reversal" (
    "key" TEXT NOT NULL,
    "lot_id" BIGINT NOT NULL,
    "target" INTEGER NOT NULL,
    "restored_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "purchase_reversal_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "purchase_reversal_lot_id_idx" ON "purchase_reversal"("lot_id");

ALTER TABLE credit_lot ADD CONSTRAINT credit_lot_reversal_owed_nonnegative CHECK (reversal_owed >= 0);
ALTER TABLE purchase_reversal ADD CONSTRAINT purchase_reversal_target_nonnegative CHECK (target >= 0);

-- Reversals are ledger history, kept like lots and holds.
CREATE TRIGGER purchase_reversal_kept BEFORE DELETE ON purchase_reversal
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_rows_are_kept();

-- Reversals made before this migration: a row each, with target 0 — their targets were never
-- stored, so they claim nothing more than they took (what they took stays in the ledger, and a
-- won dispute still gives it back).
INSERT INTO purchase_reversal (key, lot_id, target, created_at)
SELECT substr(e.idempotency_key, length('reverse:') + 1), e.lot_id, 0, min(e.created_at)
  FROM ledger_entry e JOIN credit_lot l ON l.id = e.lot_id AND l.kind = 'topup'
 WHERE e.kind = 'revoke' AND e.idempotency_key LIKE 'reverse:%'
 GROUP BY e.idempotency_key, e.lot_id
HAVING sum(e.delta_available) < 0;

-- What the live reversals of a purchase still claim (the formula above). The caller holds the lot.
CREATE FUNCTION ledger_reversal_owed(p_lot bigint) RETURNS int LANGUAGE sql STABLE AS $$
  SELECT greatest(
    coalesce((SELECT max(r.target) FROM purchase_reversal r WHERE r.lot_id = p_lot AND r.restored_by IS NULL), 0)
    - coalesce((SELECT -sum(e.delta_available) FROM ledger_entry e
                 WHERE e.lot_id = p_lot AND e.kind = 'revoke' AND e.idempotency_key LIKE 'reverse:%'), 0),
    0)::int
$$;

-- Takes what the lot owes its reversals from what is in it now, as an entry of the live reversal
-- with the largest target (the one whose claim is owed). The caller holds the lot. Returns what it took.
CREATE FUNCTION ledger_collect_reversal_owed(p_lot bigint) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
  v_lot credit_lot;
  v_take int;
  v_key text;
  v_line int;
BEGIN
  SELECT * INTO v_lot FROM credit_lot l WHERE l.id = p_lot;
  v_take := least(v_lot.reversal_owed, v_lot.remaining);
  IF v_take <= 0 THEN
    RETURN 0;
  END IF;
  SELECT r.key INTO v_key FROM purchase_reversal r
   WHERE r.lot_id = p_lot AND r.restored_by IS NULL ORDER BY r.target DESC, r.created_at, r.key LIMIT 1;
  SELECT coalesce(max(e.line), 0) + 1 INTO v_line FROM ledger_entry e WHERE e.idempotency_key = 'reverse:' || v_key;
  UPDATE credit_lot l SET remaining = l.remaining - v_take, reversal_owed = l.reversal_owed - v_take WHERE l.id = p_lot;
  INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, delta_available, delta_held, actor_id, reason)
  VALUES ('reverse:' || v_key, v_line, 'revoke', v_lot.user_id, v_lot.guild_id, p_lot, v_lot.kind, -v_take, 0, 'system',
          'still owed to reversal ' || v_key);
  RETURN v_take;
END $$;

-- Outcomes as before: 'reversed' (took `taken` > 0 now), 'already' (p_key was used before: `taken`
-- is what it has taken so far, owed credits collected since included), 'nothing_due' (nothing to
-- take now), 'not_found'. `shortfall` is what the purchase still owes its reversals: spent credits,
-- and held ones until they come back.
CREATE OR REPLACE FUNCTION ledger_reverse_purchase(
  p_key text, p_purchase_key text, p_target int, p_actor text, p_reason text
) RETURNS TABLE (outcome text, user_id text, taken int, shortfall int, remaining int)
LANGUAGE plpgsql AS $$
DECLARE
  v_lot credit_lot;
  v_done int;
  v_owed int;
  v_take int;
  v_line int;
BEGIN
  SELECT * INTO v_lot FROM credit_lot l WHERE l.source_key = 'grant:' || p_purchase_key AND l.kind = 'topup' FOR UPDATE;
  IF v_lot.id IS NULL THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text, 0, 0, 0;
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM purchase_reversal r WHERE r.key = p_key)
     OR EXISTS (SELECT 1 FROM ledger_entry e WHERE e.idempotency_key = 'reverse:' || p_key) THEN
    SELECT coalesce(-sum(e.delta_available), 0) INTO v_done FROM ledger_entry e WHERE e.idempotency_key = 'reverse:' || p_key;
    RETURN QUERY SELECT 'already'::text, v_lot.user_id, v_done, v_lot.reversal_owed, v_lot.remaining;
    RETURN;
  END IF;
  INSERT INTO purchase_reversal (key, lot_id, target) VALUES (p_key, v_lot.id, least(greatest(p_target, 0), v_lot.amount));
  v_owed := ledger_reversal_owed(v_lot.id);
  -- Owed credits are taken whenever the lot has any, so until now the lot had nothing or owed
  -- nothing: what is taken now is this reversal's (its target is the largest), its first entry.
  v_take := least(v_owed, v_lot.remaining);
  IF v_take > 0 THEN
    SELECT coalesce(max(e.line), 0) + 1 INTO v_line FROM ledger_entry e WHERE e.idempotency_key = 'reverse:' || p_key;
    INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, delta_available, delta_held, actor_id, reason)
    VALUES ('reverse:' || p_key, v_line, 'revoke', v_lot.user_id, NULL, v_lot.id, v_lot.kind, -v_take, 0, p_actor, p_reason);
  END IF;
  UPDATE credit_lot l SET remaining = l.remaining - v_take, reversal_owed = v_owed - v_take WHERE l.id = v_lot.id;
  RETURN QUERY SELECT CASE WHEN v_take > 0 THEN 'reversed' ELSE 'nothing_due' END::text,
                      v_lot.user_id, v_take, v_owed - v_take, v_lot.remaining - v_take;
END $$;

-- Gives back what one reversal took (a chargeback the seller won), once, onto the purchase's lot,
-- and ends its claim: what it was still owed is owed no more. If another live reversal of the
-- purchase is still owed credits, it takes them from what was given back, at once.
-- Outcomes: 'granted' (`amount` given back), 'already' (the reversal was restored before),
-- 'nothing' (no such reversal, or it took nothing: its claim, if any, is ended all the same).
CREATE OR REPLACE FUNCTION ledger_restore_reversal(
  p_reversal_key text, p_key text, p_actor text, p_reason text
) RETURNS TABLE (outcome text, user_id text, lot_id bigint, amount int)
LANGUAGE plpgsql AS $$
DECLARE
  v_reversal purchase_reversal;
  v_lot credit_lot;
  v_taken int;
  v_done int;
  v_owed int;
BEGIN
  SELECT * INTO v_reversal FROM purchase_reversal r WHERE r.key = p_reversal_key;
  IF v_reversal.key IS NULL THEN
    RETURN QUERY SELECT 'nothing'::text, NULL::text, NULL::bigint, 0;
    RETURN;
  END IF;
  -- The same lock as ledger_reverse_purchase and ledger_settle's refunds.
  SELECT * INTO v_lot FROM credit_lot l WHERE l.id = v_reversal.lot_id FOR UPDATE;
  SELECT * INTO v_reversal FROM purchase_reversal r WHERE r.key = p_reversal_key;
  SELECT coalesce(-sum(e.delta_available), 0) INTO v_taken FROM ledger_entry e WHERE e.idempotency_key = 'reverse:' || p_reversal_key;
  SELECT sum(e.delta_available) INTO v_done FROM ledger_entry e WHERE e.idempotency_key = 'reverse:' || p_key;
  IF v_reversal.restored_by IS NOT NULL OR v_done IS NOT NULL THEN
    RETURN QUERY SELECT CASE WHEN coalesce(v_done, 0) > 0 THEN 'already' ELSE 'nothing' END::text,
                        v_lot.user_id, v_lot.id, coalesce(v_done, 0);
    RETURN;
  END IF;
  UPDATE purchase_reversal r SET restored_by = p_key WHERE r.key = p_reversal_key;
  IF v_taken > 0 THEN
    UPDATE credit_lot l SET remaining = l.remaining + v_taken WHERE l.id = v_lot.id;
    INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, delta_available, delta_held, actor_id, reason)
    VALUES ('reverse:' || p_key, 1, 'revoke', v_lot.user_id, NULL, v_lot.id, v_lot.kind, v_taken, 0, p_actor, p_reason);
  END IF;
  v_owed := ledger_reversal_owed(v_lot.id);
  UPDATE credit_lot l SET reversal_owed = v_owed WHERE l.id = v_lot.id;
  PERFORM ledger_collect_reversal_owed(v_lot.id);
  RETURN QUERY SELECT CASE WHEN v_taken > 0 THEN 'granted' ELSE 'nothing' END::text, v_lot.user_id, v_lot.id, v_taken;
END $$;

-- Settle (as in *_restore_keeps_expiry); a refund into a purchase that owes its reversals credits
-- pays them first.
CREATE OR REPLACE FUNCTION ledger_settle(
  p_hold uuid, p_capture int, p_actor text, p_reason text, p_restore_grace interval
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
    SELECT e.lot_id, e.lot_kind, -e.delta_available AS took, l.guild_id, l.expires_at, l.restored_from_lot_id, l.reversal_owed
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
                CASE WHEN r.restored_from_lot_id IS NULL THEN r.expires_at + p_restore_grace ELSE r.expires_at END,
                'restore:' || p_hold || ':' || r.lot_id, r.lot_id)
        RETURNING id INTO v_target;
      ELSE
        UPDATE credit_lot SET remaining = remaining + v_back WHERE id = r.lot_id;
        v_target := r.lot_id;
      END IF;
      v_line := v_line + 1;
      INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, hold_id, delta_available, delta_held, actor_id, reason)
      VALUES (v_key, v_line, 'refund', v_hold.user_id, r.guild_id, v_target, r.lot_kind, p_hold, v_back, -v_back, p_actor, p_reason);
      -- Back into a purchase whose reversal is still owed credits: they go to the reversal.
      IF v_target = r.lot_id AND r.reversal_owed > 0 THEN
        PERFORM ledger_collect_reversal_owed(r.lot_id);
      END IF;
    END IF;
  END LOOP;
  RETURN QUERY SELECT 'settled'::text, v_hold.status, v_hold.captured_amount, v_hold.refunded_amount;
END $$;
