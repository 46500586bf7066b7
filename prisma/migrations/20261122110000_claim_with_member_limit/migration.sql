-- Claiming a job and the per-member running-job limit, as ONE step (style: *_job_functions).
-- Counting a member's running jobs and then claiming in two statements let two workers that
-- picked up two jobs of the same member at the same moment both see "0 running" and both start.
--
-- Claims are serialised per member with a transaction-scoped advisory lock. A row lock cannot do
-- it: the rows that decide (the member's running jobs) may not exist yet — with none running,
-- `SELECT … FOR UPDATE` locks nothing and both claims pass — and locking the member's queued
-- rows would also block finish_job and renewals; a per-member lock row would need a table and a
-- write on every claim. Only this function takes the advisory lock, and under it it waits at most
-- for the job's row, whose other lockers (finish_job, renewals) never wait for this lock: no
-- deadlock. It is released at commit, i.e. when the claim's one statement ends (also behind
-- PgBouncer in transaction mode). Under READ COMMITTED each statement
-- below takes a fresh snapshot after the lock is held, so the count sees the previous holder's
-- committed claim.
--
-- Outcomes:
--   'claimed'       the job is this worker's until p_now + p_lease_ms (attempts + 1); `job` is the row
--   'finished'      the job has ended (or does not exist): do not run it
--   'held_elsewhere' another worker's lease on this job is still live
--   'member_limit'  the member already has p_max_running other jobs with a live lease;
--                   `running` says how many. Nothing changed.
-- An expired lease (a dead worker) is taken over and is not counted against the member.
CREATE FUNCTION claim_job(p_job uuid, p_worker text, p_now timestamptz, p_lease_ms int, p_max_running int)
RETURNS TABLE (outcome text, running int, job generation_job)
LANGUAGE plpgsql AS $$
DECLARE
  v_job generation_job;
  v_running int;
BEGIN
  IF p_max_running IS NULL OR p_max_running < 1 THEN
    RAISE EXCEPTION 'claim_job: p_max_running must be at least 1 (got %)', p_max_running;
  END IF;
  SELECT * INTO v_job FROM generation_job j WHERE j.id = p_job;
  IF v_job.id IS NULL OR v_job.status NOT IN ('queued', 'running') THEN
    RETURN QUERY SELECT 'finished'::text, NULL::int, NULL::generation_job; RETURN;
  END IF;

  PERFORM pg_advisory_xact_lock(hashtextextended('job-claim:' || v_job.user_id, 0));

  -- Read again under the lock: a claimer of this same job (same member) may just have committed.
  SELECT * INTO v_job FROM generation_job j WHERE j.id = p_job;
  IF v_job.status NOT IN ('queued', 'running') THEN
    RETURN QUERY SELECT 'finished'::text, NULL::int, NULL::generation_job; RETURN;
  ELSIF v_job.lease_until >= p_now AND v_job.lease_owner IS DISTINCT FROM p_worker THEN
    RETURN QUERY SELECT 'held_elsewhere'::text, NULL::int, NULL::generation_job; RETURN;
  END IF;

  SELECT count(*)::int INTO v_running FROM generation_job o
   WHERE o.user_id = v_job.user_id AND o.status = 'running' AND o.id <> p_job AND o.lease_until > p_now;
  IF v_running >= p_max_running THEN
    RETURN QUERY SELECT 'member_limit'::text, v_running, NULL::generation_job; RETURN;
  END IF;

  -- The same conditions again, so the row decides even against a writer that takes no lock.
  UPDATE generation_job j SET status = 'running', lease_owner = p_worker,
         lease_until = p_now + p_lease_ms * interval '1 millisecond',
         attempts = j.attempts + 1, started_at = coalesce(j.started_at, p_now)
   WHERE j.id = p_job AND j.status IN ('queued', 'running')
     AND (j.lease_until IS NULL OR j.lease_until < p_now OR j.lease_owner = p_worker)
  RETURNING * INTO v_job;
  IF FOUND THEN
    RETURN QUERY SELECT 'claimed'::text, v_running, v_job; RETURN;
  END IF;
  SELECT * INTO v_job FROM generation_job j WHERE j.id = p_job;
  RETURN QUERY SELECT CASE WHEN v_job.status IN ('queued', 'running') THEN 'held_elsewhere' ELSE 'finished' END::text,
                      NULL::int, NULL::generation_job;
END $$;
