-- Taking back purchased credits when the payment is reversed (a card refund or a chargeback),
-- and giving them back when a chargeback is won (style: *_ledger_functions).
--
-- A purchase is the top-up lot its grant made (source_key 'grant:' || purchase key, e.g.
-- 'grant:stripe:<checkout session>'). Reversals are stated as a TARGET: "in total, this much of the
-- purchase should now be taken back" (Stripe's refunds are cumulative, `amount_refunded`). Each
-- call takes what is still missing towards its target, from that lot only, as far as the lot has
-- credits left: what the member already spent is a shortfall, reported, never taken from other
-- lots or driven below zero. Calls for one purchase are serialised by the lot's row lock, so
-- replayed, re-ordered or concurrent events never take more than the largest target. Guild admins
-- cannot do this (ledger_revoke refuses top-ups); only the payment webhook does.

-- Reversals are found by their lot.
CREATE INDEX "ledger_entry_lot_id_idx" ON "ledger_entry"("lot_id");

-- Outcomes: 'reversed' (took `taken` > 0 now), 'already' (p_key was used before: `taken` is what
-- it took then), 'nothing_due' (the target was reached before), 'not_found' (no such purchase).
-- `shortfall` is what the target still lacks because the member spent it.
CREATE FUNCTION ledger_reverse_purchase(
  p_key text, p_purchase_key text, p_target int, p_actor text, p_reason text
) RETURNS TABLE (outcome text, user_id text, taken int, shortfall int, remaining int)
LANGUAGE plpgsql AS $$
DECLARE
  v_lot credit_lot;
  v_done int;
  v_reversed int;
  v_due int;
  v_take int;
BEGIN
  SELECT * INTO v_lot FROM credit_lot l WHERE l.source_key = 'grant:' || p_purchase_key AND l.kind = 'topup' FOR UPDATE;
  IF v_lot.id IS NULL THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text, 0, 0, 0;
    RETURN;
  END IF;
  -- Reversed so far, under the lot lock: every reversal of this purchase is an entry on its lot.
  SELECT coalesce(-sum(e.delta_available), 0) INTO v_reversed FROM ledger_entry e
   WHERE e.lot_id = v_lot.id AND e.kind = 'revoke' AND e.idempotency_key LIKE 'reverse:%';
  -- Still to take towards the target (never more than the purchase).
  v_due := greatest(least(p_target, v_lot.amount) - v_reversed, 0);
  SELECT -sum(e.delta_available) INTO v_done FROM ledger_entry e WHERE e.idempotency_key = 'reverse:' || p_key;
  IF v_done IS NOT NULL THEN
    RETURN QUERY SELECT 'already'::text, v_lot.user_id, v_done, v_due, v_lot.remaining;
    RETURN;
  END IF;
  v_take := least(v_due, v_lot.remaining);
  IF v_take = 0 THEN
    RETURN QUERY SELECT 'nothing_due'::text, v_lot.user_id, 0, v_due, v_lot.remaining;
    RETURN;
  END IF;
  UPDATE credit_lot l SET remaining = l.remaining - v_take WHERE l.id = v_lot.id;
  INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, delta_available, delta_held, actor_id, reason)
  VALUES ('reverse:' || p_key, 1, 'revoke', v_lot.user_id, NULL, v_lot.id, v_lot.kind, -v_take, 0, p_actor, p_reason);
  RETURN QUERY SELECT 'reversed'::text, v_lot.user_id, v_take, v_due - v_take, v_lot.remaining - v_take;
END $$;

-- Gives back what one reversal took (a chargeback the seller won), once per p_key, onto the very
-- lot it was taken from: an entry of the same kind with the opposite sign, in the same 'reverse:'
-- namespace, so the purchase's reversed total stays the sum of its reversal entries and a later
-- refund of the same payment can still take back what is then due. Outcomes: 'granted',
-- 'already', 'nothing' (the reversal took nothing, or never happened).
CREATE FUNCTION ledger_restore_reversal(
  p_reversal_key text, p_key text, p_actor text, p_reason text
) RETURNS TABLE (outcome text, user_id text, lot_id bigint, amount int)
LANGUAGE plpgsql AS $$
DECLARE
  v_lot_id bigint;
  v_taken int;
  v_lot credit_lot;
  v_done int;
BEGIN
  SELECT min(e.lot_id), -sum(e.delta_available) INTO v_lot_id, v_taken FROM ledger_entry e
   WHERE e.idempotency_key = 'reverse:' || p_reversal_key;
  IF v_taken IS NULL OR v_taken <= 0 THEN
    RETURN QUERY SELECT 'nothing'::text, NULL::text, NULL::bigint, 0;
    RETURN;
  END IF;
  -- The same lock as ledger_reverse_purchase: restores and reversals of a purchase queue up.
  SELECT * INTO v_lot FROM credit_lot l WHERE l.id = v_lot_id FOR UPDATE;
  SELECT sum(e.delta_available) INTO v_done FROM ledger_entry e WHERE e.idempotency_key = 'reverse:' || p_key;
  IF v_done IS NOT NULL THEN
    RETURN QUERY SELECT 'already'::text, v_lot.user_id, v_lot.id, v_done;
    RETURN;
  END IF;
  UPDATE credit_lot l SET remaining = l.remaining + v_taken WHERE l.id = v_lot.id;
  INSERT INTO ledger_entry (idempotency_key, line, kind, user_id, guild_id, lot_id, lot_kind, delta_available, delta_held, actor_id, reason)
  VALUES ('reverse:' || p_key, 1, 'revoke', v_lot.user_id, NULL, v_lot.id, v_lot.kind, v_taken, 0, p_actor, p_reason);
  RETURN QUERY SELECT 'granted'::text, v_lot.user_id, v_lot.id, v_taken;
END $$;
