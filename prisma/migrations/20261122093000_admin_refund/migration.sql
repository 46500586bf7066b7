-- Admin credit operations, in the style of *_ledger_functions: one function per operation, one
-- round trip, decided by locks and unique keys in PostgreSQL. Both create a `grant` lot through
-- ledger_grant, so the ledger's invariants (every lot equals the sum of its entries; granted =
-- remaining + held + captured + expired + revoked) hold unchanged.

-- An admin's gift of credits to a member of one guild, keyed by the interaction
-- ('admin-grant:<interactionId>') so a retried interaction grants once.
-- p_cap NULL: uncapped (the operator's owners). Otherwise the credits granted to this member in
-- this guild today (UTC, by the database's clock) by capped granters — everyone not in
-- p_uncapped_actors — plus p_amount must stay within p_cap. Serialised per guild, member and day
-- so two admins granting at once cannot both squeeze under the cap.
-- Outcomes: 'created'; 'already' (the key was used: nothing granted now); 'over_cap' (nothing
-- changes; granted_today says how much was already granted today).
CREATE FUNCTION ledger_admin_grant(
  p_key text, p_user text, p_guild text, p_amount int, p_expires_at timestamptz,
  p_actor text, p_reason text, p_cap int, p_uncapped_actors text[]
) RETURNS TABLE (outcome text, lot_id bigint, amount int, expires_at timestamptz, granted_today int)
LANGUAGE plpgsql AS $$
DECLARE
  v_day_start timestamptz := date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  v_today int := 0;
BEGIN
  IF p_key NOT LIKE 'admin-grant:%' THEN
    RAISE EXCEPTION 'ledger_admin_grant: key must start with admin-grant: (got %)', p_key;
  END IF;
  IF p_cap IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('admin-grant-cap:' || p_guild || ':' || p_user || ':' || v_day_start::date, 0));
  END IF;
  -- A replay answers as before, even if the cap has been reached since.
  IF EXISTS (SELECT 1 FROM credit_lot l WHERE l.source_key = 'grant:' || p_key) THEN
    RETURN QUERY SELECT 'already'::text, l.id, l.amount, l.expires_at, NULL::int FROM credit_lot l WHERE l.source_key = 'grant:' || p_key;
    RETURN;
  END IF;
  IF p_cap IS NOT NULL THEN
    SELECT coalesce(sum(e.delta_available), 0) INTO v_today FROM ledger_entry e
     WHERE e.user_id = p_user AND e.guild_id = p_guild AND e.kind = 'grant'
       AND e.idempotency_key LIKE 'grant:admin-grant:%'
       AND e.created_at >= v_day_start AND e.created_at < v_day_start + interval '1 day'
       AND NOT (e.actor_id = ANY (coalesce(p_uncapped_actors, '{}')));
    IF v_today + p_amount > p_cap THEN
      RETURN QUERY SELECT 'over_cap'::text, NULL::bigint, 0, NULL::timestamptz, v_today;
      RETURN;
    END IF;
  END IF;
  RETURN QUERY SELECT g.outcome, g.lot_id, g.amount, g.expires_at, v_today + p_amount
    FROM ledger_grant(p_key, p_user, p_guild, 'grant', p_amount, p_expires_at, NULL, NULL, p_actor, p_reason) g;
END $$;

-- Refunds a finished job's charged credits to its owner, once per job, as a never-expiring grant
-- lot in the job's guild (key 'admin-refund:<jobId>'). Captured credits stay captured — the
-- job's hold and its settlement are history — and the refund is a new, visible credit.
-- The amount is read here from the job row, never trusted from the caller.
-- Outcomes: 'refunded'; 'already' (refunded_at and amount of the first refund); 'not_found'
-- (no such job, or a job of another guild); 'not_finished' (queued or running: it refunds itself
-- if it fails); 'nothing_charged' (the job charged nothing, e.g. it failed and was refunded).
CREATE FUNCTION ledger_refund_job(p_job uuid, p_guild text, p_actor text, p_reason text)
RETURNS TABLE (outcome text, lot_id bigint, amount int, user_id text, refunded_at timestamptz, job_status job_status)
LANGUAGE plpgsql AS $$
DECLARE
  v_job generation_job;
  v_lot credit_lot;
BEGIN
  -- FOR SHARE: the job cannot be finished (credits_charged written) while this refund reads it.
  SELECT * INTO v_job FROM generation_job j WHERE j.id = p_job FOR SHARE;
  IF v_job.id IS NULL OR v_job.guild_id <> p_guild THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::bigint, 0, NULL::text, NULL::timestamptz, NULL::job_status; RETURN;
  END IF;
  IF v_job.status IN ('queued', 'running') THEN
    RETURN QUERY SELECT 'not_finished'::text, NULL::bigint, 0, v_job.user_id, NULL::timestamptz, v_job.status; RETURN;
  END IF;
  SELECT * INTO v_lot FROM credit_lot l WHERE l.source_key = 'grant:admin-refund:' || p_job;
  IF v_lot.id IS NOT NULL THEN
    RETURN QUERY SELECT 'already'::text, v_lot.id, v_lot.amount, v_job.user_id, v_lot.created_at, v_job.status; RETURN;
  END IF;
  IF coalesce(v_job.credits_charged, 0) <= 0 THEN
    RETURN QUERY SELECT 'nothing_charged'::text, NULL::bigint, 0, v_job.user_id, NULL::timestamptz, v_job.status; RETURN;
  END IF;
  -- A concurrent refund of the same job meets ON CONFLICT inside ledger_grant and reads 'already'.
  RETURN QUERY SELECT CASE g.outcome WHEN 'created' THEN 'refunded' ELSE 'already' END,
         g.lot_id, g.amount, v_job.user_id,
         (SELECT l.created_at FROM credit_lot l WHERE l.id = g.lot_id), v_job.status
    FROM ledger_grant('admin-refund:' || p_job, v_job.user_id, p_guild, 'grant', v_job.credits_charged, NULL,
                      NULL, NULL, p_actor, p_reason) g;
END $$;
