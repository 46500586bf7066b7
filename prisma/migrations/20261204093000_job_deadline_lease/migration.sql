-- A job is either charged for what it delivered or refunded, never both (issue 12).
--
-- The reaper ended every job past its deadline, whether or not a worker still held a live lease
-- on it, and claim_job never looked at the deadline. A job still running at its deadline was
-- refunded in full, then its worker delivered the images and finish_job answered 'already': the
-- images were free. The rules now, all decided on the database's clock (ledger_now()):
--
--   * The deadline ends a job no worker is running. time_out_job (the reaper) refunds a job past
--     its deadline only if no lease on it is live; under the job's row lock, so a claim, a renewal
--     or a finish cannot slip in between.
--   * No attempt starts past the deadline: claim_job answers 'past_deadline' and changes nothing.
--   * A worker running at its deadline has overtime: renew_job_lease extends its lease at most to
--     deadline + p_overtime (the caller's; 10 minutes by default). A stuck worker that keeps
--     renewing loses its lease then, and the reaper refunds the job.
--   * A worker delivers only after begin_job_delivery, which succeeds only while its own lease is
--     live and extends it to cover the delivery. A worker whose job was reaped (or taken over by
--     another worker after its lease lapsed) gets false and delivers nothing.
--
-- What is left: a worker that passes begin_job_delivery and then stalls, or dies mid-delivery, for
-- longer than its lease, can see its job reaped while some images reach Discord. That needs a
-- process frozen past a whole lease (60 s by default) after the check, and it errs in the
-- member's favour.

-- Claim (as in *_claim_with_member_limit), on the database's clock, refusing a job past its deadline.
DROP FUNCTION claim_job(uuid, text, timestamptz, int, int);
CREATE FUNCTION claim_job(p_job uuid, p_worker text, p_lease_ms int, p_max_running int)
RETURNS TABLE (outcome text, running int, job generation_job)
LANGUAGE plpgsql AS $$
DECLARE
  v_job generation_job;
  v_running int;
  v_now timestamptz;
BEGIN
  IF p_max_running IS NULL OR p_max_running < 1 THEN
    RAISE EXCEPTION 'claim_job: p_max_running must be at least 1 (got %)', p_max_running;
  END IF;
  SELECT * INTO v_job FROM generation_job j WHERE j.id = p_job;
  IF v_job.id IS NULL OR v_job.status NOT IN ('queued', 'running') THEN
    RETURN QUERY SELECT 'finished'::text, NULL::int, NULL::generation_job; RETURN;
  END IF;

  PERFORM pg_advisory_xact_lock(hashtextextended('job-claim:' || v_job.user_id, 0));
  v_now := ledger_now();

  SELECT * INTO v_job FROM generation_job j WHERE j.id = p_job;
  IF v_job.status NOT IN ('queued', 'running') THEN
    RETURN QUERY SELECT 'finished'::text, NULL::int, NULL::generation_job; RETURN;
  ELSIF v_job.lease_until >= v_now AND v_job.lease_owner IS DISTINCT FROM p_worker THEN
    RETURN QUERY SELECT 'held_elsewhere'::text, NULL::int, NULL::generation_job; RETURN;
  ELSIF v_job.deadline_at <= v_now THEN
    RETURN QUERY SELECT 'past_deadline'::text, NULL::int, NULL::generation_job; RETURN;
  END IF;

  SELECT count(*)::int INTO v_running FROM generation_job o
   WHERE o.user_id = v_job.user_id AND o.status = 'running' AND o.id <> p_job AND o.lease_until > v_now;
  IF v_running >= p_max_running THEN
    RETURN QUERY SELECT 'member_limit'::text, v_running, NULL::generation_job; RETURN;
  END IF;

  UPDATE generation_job j SET status = 'running', lease_owner = p_worker,
         lease_until = v_now + p_lease_ms * interval '1 millisecond',
         attempts = j.attempts + 1, started_at = coalesce(j.started_at, v_now)
   WHERE j.id = p_job AND j.status IN ('queued', 'running') AND j.deadline_at > v_now
     AND (j.lease_until IS NULL OR j.lease_until < v_now OR j.lease_owner = p_worker)
  RETURNING * INTO v_job;
  IF FOUND THEN
    RETURN QUERY SELECT 'claimed'::text, v_running, v_job; RETURN;
  END IF;
  SELECT * INTO v_job FROM generation_job j WHERE j.id = p_job;
  RETURN QUERY SELECT CASE WHEN v_job.status NOT IN ('queued', 'running') THEN 'finished'
                           WHEN v_job.deadline_at <= v_now THEN 'past_deadline'
                           ELSE 'held_elsewhere' END::text,
                      NULL::int, NULL::generation_job;
END $$;

-- A worker's heartbeat: extends its own lease on a running job, never shortening it and never
-- past deadline + p_overtime. False when the job is no longer this worker's, or its lease could not
-- reach past now (the overtime is spent).
CREATE FUNCTION renew_job_lease(p_job uuid, p_worker text, p_lease_ms int, p_overtime interval)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := ledger_now();
BEGIN
  UPDATE generation_job j
     SET lease_until = greatest(j.lease_until, least(v_now + p_lease_ms * interval '1 millisecond', j.deadline_at + p_overtime))
   WHERE j.id = p_job AND j.lease_owner = p_worker AND j.status = 'running'
     AND least(v_now + p_lease_ms * interval '1 millisecond', j.deadline_at + p_overtime) >= v_now;
  RETURN FOUND;
END $$;

-- The check a worker passes before it delivers anything: the job is still running under its own
-- live lease (so not reaped, not taken over). Extends the lease to cover the delivery.
CREATE FUNCTION begin_job_delivery(p_job uuid, p_worker text, p_lease_ms int)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := ledger_now();
BEGIN
  UPDATE generation_job j
     SET lease_until = greatest(j.lease_until, v_now + p_lease_ms * interval '1 millisecond')
   WHERE j.id = p_job AND j.lease_owner = p_worker AND j.status = 'running' AND j.lease_until >= v_now;
  RETURN FOUND;
END $$;

-- The reaper: ends a job past its deadline that no worker holds a live lease on, as a failure with
-- everything refunded (finish_job). Outcomes: 'timed_out' (with the refund), 'running' (a live
-- lease: its worker may still deliver and be charged), 'not_due', 'already' (it had ended), 'not_found'.
CREATE FUNCTION time_out_job(p_job uuid, p_member_message text, p_restore_grace interval)
RETURNS TABLE (outcome text, status job_status, charged int, refunded int)
LANGUAGE plpgsql AS $$
DECLARE
  v_job generation_job;
  v_now timestamptz;
BEGIN
  SELECT * INTO v_job FROM generation_job j WHERE j.id = p_job FOR UPDATE;
  v_now := ledger_now();
  IF v_job.id IS NULL THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::job_status, NULL::int, NULL::int; RETURN;
  ELSIF v_job.status NOT IN ('queued', 'running') THEN
    RETURN QUERY SELECT 'already'::text, v_job.status, v_job.credits_charged, v_job.credits_refunded; RETURN;
  ELSIF v_job.deadline_at > v_now THEN
    RETURN QUERY SELECT 'not_due'::text, v_job.status, NULL::int, NULL::int; RETURN;
  ELSIF v_job.lease_until >= v_now THEN
    RETURN QUERY SELECT 'running'::text, v_job.status, NULL::int, NULL::int; RETURN;
  END IF;
  RETURN QUERY SELECT 'timed_out'::text, f.status, f.charged, f.refunded
    FROM finish_job(p_job, 0, 'timeout', p_member_message, NULL, NULL, p_restore_grace) f;
END $$;
