-- An admin's refund of a finished job creates credits from nothing, as a gift does: the job's
-- charge stays captured (the provider was paid) and the refund is a new grant lot. So it is held
-- to the same rule as gifts: uncapped for the operator's owners, and for server admins within the
-- same daily cap per member and guild, counted together with their gifts — otherwise "generate,
-- refund, repeat" would give a member unlimited credits however low the cap.
-- (Whether a server admin may refund at all is the operator's GUILD_ADMIN_GRANTS, checked by the
-- caller, which passes p_cap NULL only for owners.)

-- What capped granters gave one member in one guild on one UTC day, gifts and refunds together.
CREATE FUNCTION admin_credits_given_today(p_user text, p_guild text, p_day_start timestamptz, p_uncapped_actors text[])
RETURNS int LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(e.delta_available), 0)::int FROM ledger_entry e
   WHERE e.user_id = p_user AND e.guild_id = p_guild AND e.kind = 'grant'
     AND (e.idempotency_key LIKE 'grant:admin-grant:%' OR e.idempotency_key LIKE 'grant:admin-refund:%')
     AND e.created_at >= p_day_start AND e.created_at < p_day_start + interval '1 day'
     AND NOT (e.actor_id = ANY (coalesce(p_uncapped_actors, '{}')))
$$;

-- The lock both functions take before counting, so a gift and a refund racing for the last of
-- the cap cannot both fit.
CREATE FUNCTION admin_credits_lock(p_user text, p_guild text, p_day_start timestamptz)
RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtextextended('admin-grant-cap:' || p_guild || ':' || p_user || ':' || p_day_start::date, 0))
$$;

CREATE OR REPLACE FUNCTION ledger_admin_grant(
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
    PERFORM admin_credits_lock(p_user, p_guild, v_day_start);
  END IF;
  -- A replay answers as before, even if the cap has been reached since.
  IF EXISTS (SELECT 1 FROM credit_lot l WHERE l.source_key = 'grant:' || p_key) THEN
    RETURN QUERY SELECT 'already'::text, l.id, l.amount, l.expires_at, NULL::int FROM credit_lot l WHERE l.source_key = 'grant:' || p_key;
    RETURN;
  END IF;
  IF p_cap IS NOT NULL THEN
    v_today := admin_credits_given_today(p_user, p_guild, v_day_start, p_uncapped_actors);
    IF v_today + p_amount > p_cap THEN
      RETURN QUERY SELECT 'over_cap'::text, NULL::bigint, 0, NULL::timestamptz, v_today;
      RETURN;
    END IF;
  END IF;
  RETURN QUERY SELECT g.outcome, g.lot_id, g.amount, g.expires_at, v_today + p_amount
    FROM ledger_grant(p_key, p_user, p_guild, 'grant', p_amount, p_expires_at, NULL, NULL, p_actor, p_reason) g;
END $$;

-- As before (once per job, the amount read from the job row), now with the cap: p_cap NULL for
-- the operator's owners; otherwise 'over_cap' (nothing changes; given_today says how much capped
-- granters already gave this member here today) when the refund would pass it.
DROP FUNCTION ledger_refund_job(uuid, text, text, text);
CREATE FUNCTION ledger_refund_job(p_job uuid, p_guild text, p_actor text, p_reason text, p_cap int, p_uncapped_actors text[])
RETURNS TABLE (outcome text, lot_id bigint, amount int, user_id text, refunded_at timestamptz, job_status job_status, given_today int)
LANGUAGE plpgsql AS $$
DECLARE
  v_job generation_job;
  v_lot credit_lot;
  v_day_start timestamptz := date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  v_today int;
BEGIN
  -- FOR SHARE: the job cannot be finished (credits_charged written) while this refund reads it.
  SELECT * INTO v_job FROM generation_job j WHERE j.id = p_job FOR SHARE;
  IF v_job.id IS NULL OR v_job.guild_id <> p_guild THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::bigint, 0, NULL::text, NULL::timestamptz, NULL::job_status, NULL::int; RETURN;
  END IF;
  IF v_job.status IN ('queued', 'running') THEN
    RETURN QUERY SELECT 'not_finished'::text, NULL::bigint, 0, v_job.user_id, NULL::timestamptz, v_job.status, NULL::int; RETURN;
  END IF;
  IF p_cap IS NOT NULL THEN
    PERFORM admin_credits_lock(v_job.user_id, p_guild, v_day_start);
  END IF;
  SELECT * INTO v_lot FROM credit_lot l WHERE l.source_key = 'grant:admin-refund:' || p_job;
  IF v_lot.id IS NOT NULL THEN
    RETURN QUERY SELECT 'already'::text, v_lot.id, v_lot.amount, v_job.user_id, v_lot.created_at, v_job.status, NULL::int; RETURN;
  END IF;
  IF coalesce(v_job.credits_charged, 0) <= 0 THEN
    RETURN QUERY SELECT 'nothing_charged'::text, NULL::bigint, 0, v_job.user_id, NULL::timestamptz, v_job.status, NULL::int; RETURN;
  END IF;
  IF p_cap IS NOT NULL THEN
    v_today := admin_credits_given_today(v_job.user_id, p_guild, v_day_start, p_uncapped_actors);
    IF v_today + v_job.credits_charged > p_cap THEN
      RETURN QUERY SELECT 'over_cap'::text, NULL::bigint, v_job.credits_charged, v_job.user_id, NULL::timestamptz, v_job.status, v_today; RETURN;
    END IF;
  END IF;
  -- A concurrent refund of the same job meets ON CONFLICT inside ledger_grant and reads 'already'.
  RETURN QUERY SELECT CASE g.outcome WHEN 'created' THEN 'refunded' ELSE 'already' END,
         g.lot_id, g.amount, v_job.user_id,
         (SELECT l.created_at FROM credit_lot l WHERE l.id = g.lot_id), v_job.status, NULL::int
    FROM ledger_grant('admin-refund:' || p_job, v_job.user_id, p_guild, 'grant', v_job.credits_charged, NULL,
                      NULL, NULL, p_actor, p_reason) g;
END $$;
