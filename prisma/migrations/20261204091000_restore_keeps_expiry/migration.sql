-- A share refunded after its lot expired keeps that lot's expiry, plus a short grace, once (issue 12).
--
-- A refund into a lot that expired while its credits were held used to come back as a fresh lot
-- expiring p_restore_ttl (24 hours) after the refund. Held across midnight in a job that failed,
-- yesterday's free credits came back for another day, and again the night after: a member who
-- did that every night had 60 free credits on day 3 instead of 20. Now the restored lot expires
-- at the original lot's expiry plus p_restore_grace (the caller's, an hour by default): the member
-- may still use what a failed job gave back, but only just after the time they would have lost
-- it anyway. A share restored from a lot that was itself restored keeps that lot's expiry: the
-- grace is given once. If the grace too has passed, the restored lot is born expired and the
-- sweep records its expiry, as for any lot: the refund still loses nothing the member owned.

DROP FUNCTION finish_job(uuid, int, text, text, numeric, double precision, interval);
DROP FUNCTION ledger_settle(uuid, int, text, text, interval);

-- Settle (as in *_ledger_clock), with the restored lot's expiry as above.
CREATE FUNCTION ledger_settle(
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
    SELECT e.lot_id, e.lot_kind, -e.delta_available AS took, l.guild_id, l.expires_at, l.restored_from_lot_id
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
    END IF;
  END LOOP;
  RETURN QUERY SELECT 'settled'::text, v_hold.status, v_hold.captured_amount, v_hold.refunded_amount;
END $$;

-- Finish (as in *_ledger_clock), passing the grace on.
CREATE FUNCTION finish_job(
  p_job uuid, p_delivered int, p_failure_reason text, p_member_message text,
  p_provider_cost_usd numeric, p_predict_time_seconds double precision, p_restore_grace interval
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
    p_restore_grace);
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
