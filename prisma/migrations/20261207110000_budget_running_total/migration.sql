-- A running total of each budgeted server's month (issue 17 follow-up). confirm_quote summed the
-- server's jobs of the month under the server's lock on every confirm: exact, but its cost grew
-- with the month (npm run bench, BENCH_ONLY=budget: 163 confirms/s against 1903 without a budget
-- after 5,000 jobs). Now one row per (server, month) holds the operator cost in both units, kept
-- under the same lock: confirm_quote adds a job's full cost, finish_job takes back the share not
-- delivered. The row is started from the jobs themselves (guild_operator_spent_since, the same
-- count as before) the first time it is needed: a new month, or a budget set or set again.
-- Only servers with a budget keep one; setting or clearing a budget drops the server's rows, so
-- a total is never used that finishes skipped while there was no budget.

CREATE TABLE "guild_budget_spend" (
    "guild_id" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "spent_credits" DECIMAL(24,8) NOT NULL,
    "spent_usd" DECIMAL(24,8) NOT NULL,

    CONSTRAINT "guild_budget_spend_pkey" PRIMARY KEY ("guild_id","month")
);

CREATE FUNCTION guild_budget_spend_reset() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM guild_budget_spend s WHERE s.guild_id = coalesce(NEW.guild_id, OLD.guild_id);
  RETURN NULL;
END $$;

CREATE TRIGGER guild_budget_spend_reset AFTER INSERT OR DELETE ON guild_budget
  FOR EACH ROW EXECUTE FUNCTION guild_budget_spend_reset();

-- Confirm (as in *_spending_limits), reading and adding to the running total.
CREATE OR REPLACE FUNCTION confirm_quote(p_quote uuid, p_user text, p_priority int, p_deadline timestamptz,
                              p_interaction_application text DEFAULT NULL, p_interaction_token text DEFAULT NULL,
                              p_interaction_expires timestamptz DEFAULT NULL,
                              p_server_daily_cap int DEFAULT NULL, p_server_monthly_cap int DEFAULT NULL)
RETURNS TABLE (outcome text, job_id uuid, price int, available int,
               cap_period text, cap_source text, cap_limit int, cap_spent int,
               budget_unit text, budget numeric, budget_spent numeric)
LANGUAGE plpgsql AS $$
DECLARE
  v_quote quote;
  v_hold record;
  v_hold_id uuid;
  v_job uuid;
  v_now timestamptz;
  v_day timestamptz;
  v_month timestamptz;
  v_settings member_settings;
  v_cap int;
  v_source text;
  v_period text;
  v_spent int;
  v_budget guild_budget;
  v_unit text;
  v_limit numeric;
  v_guild_spent numeric;
  v_cost numeric;
  v_month_date date;
  v_spend guild_budget_spend;
BEGIN
  SELECT * INTO v_quote FROM quote q WHERE q.id = p_quote FOR UPDATE;
  IF v_quote.id IS NULL THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::uuid, NULL::int, NULL::int, NULL::text, NULL::text, NULL::int, NULL::int, NULL::text, NULL::numeric, NULL::numeric; RETURN;
  ELSIF v_quote.user_id <> p_user THEN
    RETURN QUERY SELECT 'not_owner'::text, NULL::uuid, v_quote.price, NULL::int, NULL::text, NULL::text, NULL::int, NULL::int, NULL::text, NULL::numeric, NULL::numeric; RETURN;
  ELSIF v_quote.status = 'confirmed' THEN
    RETURN QUERY SELECT 'already'::text, j.id, v_quote.price, NULL::int, NULL::text, NULL::text, NULL::int, NULL::int, NULL::text, NULL::numeric, NULL::numeric
      FROM generation_job j WHERE j.quote_id = p_quote; RETURN;
  ELSIF v_quote.status = 'cancelled' THEN
    RETURN QUERY SELECT 'cancelled'::text, NULL::uuid, v_quote.price, NULL::int, NULL::text, NULL::text, NULL::int, NULL::int, NULL::text, NULL::numeric, NULL::numeric; RETURN;
  END IF;

  -- Every confirm of this member waits here for the one before it (whatever the server: Relax is
  -- one at a time across servers), then every confirm in this server with a budget.
  -- (Two-key locks, one key space per kind: a member's key can never be a server's, so the
  -- member-then-server order cannot be turned round by a hash collision.)
  PERFORM pg_advisory_xact_lock(hashtext('confirm_quote:user'), hashtext(v_quote.user_id));
  v_now := ledger_now();
  IF v_quote.expires_at <= v_now THEN
    RETURN QUERY SELECT 'expired'::text, NULL::uuid, v_quote.price, NULL::int, NULL::text, NULL::text, NULL::int, NULL::int, NULL::text, NULL::numeric, NULL::numeric; RETURN;
  END IF;

  IF v_quote.lane = 'relax' AND EXISTS (
       SELECT 1 FROM generation_job j WHERE j.user_id = v_quote.user_id AND j.lane = 'relax' AND j.status IN ('queued', 'running')) THEN
    RETURN QUERY SELECT 'relax_busy'::text, NULL::uuid, v_quote.price, NULL::int, NULL::text, NULL::text, NULL::int, NULL::int, NULL::text, NULL::numeric, NULL::numeric; RETURN;
  END IF;

  -- Caps: every cap set must hold; the first one this job would pass is named (the day's before the
  -- month's, the member's own before the server's). A free job passes them all.
  v_day := date_trunc('day', v_now AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  v_month := date_trunc('month', v_now AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  SELECT * INTO v_settings FROM member_settings s WHERE s.user_id = v_quote.user_id AND s.guild_id = v_quote.guild_id;
  IF v_quote.price > 0 THEN
    FOR v_cap, v_source, v_period, v_spent IN
      SELECT c.cap, c.source, c.period, member_spent_since(v_quote.user_id, v_quote.guild_id, c.since)
        FROM (VALUES (v_settings.daily_cap, 'member', 'day', v_day, 1), (p_server_daily_cap, 'server', 'day', v_day, 2),
                     (v_settings.monthly_cap, 'member', 'month', v_month, 3), (p_server_monthly_cap, 'server', 'month', v_month, 4))
             AS c(cap, source, period, since, n)
       WHERE c.cap IS NOT NULL
       ORDER BY c.n
    LOOP
      IF v_spent + v_quote.price > v_cap THEN
        RETURN QUERY SELECT 'cap_reached'::text, NULL::uuid, v_quote.price, NULL::int, v_period, v_source, v_cap, v_spent,
                            NULL::text, NULL::numeric, NULL::numeric;
        RETURN;
      END IF;
    END LOOP;
  END IF;

  -- The server's budget: this job's operator cost may not take the month past it.
  SELECT * INTO v_budget FROM guild_budget b WHERE b.guild_id = v_quote.guild_id;
  IF v_budget.guild_id IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('confirm_quote:guild'), hashtext(v_quote.guild_id));
    -- Re-read under the lock: a budget changed meanwhile applies now.
    SELECT * INTO v_budget FROM guild_budget b WHERE b.guild_id = v_quote.guild_id;
  END IF;
  IF v_budget.guild_id IS NOT NULL THEN
    v_unit := CASE WHEN v_budget.monthly_usd IS NOT NULL THEN 'usd' ELSE 'credits' END;
    v_limit := coalesce(v_budget.monthly_usd, v_budget.monthly_credits::numeric);
    -- The month's running total (kept by confirms and finishes under this lock); the first confirm
    -- of a month, or the first after the budget was set, starts it from the jobs themselves.
    v_month_date := (v_month AT TIME ZONE 'UTC')::date;
    SELECT * INTO v_spend FROM guild_budget_spend s WHERE s.guild_id = v_quote.guild_id AND s.month = v_month_date;
    IF v_spend.guild_id IS NULL THEN
      INSERT INTO guild_budget_spend (guild_id, month, spent_credits, spent_usd)
      VALUES (v_quote.guild_id, v_month_date,
              guild_operator_spent_since(v_quote.guild_id, v_month, 'credits'), guild_operator_spent_since(v_quote.guild_id, v_month, 'usd'))
      RETURNING * INTO v_spend;
    END IF;
    v_guild_spent := CASE v_unit WHEN 'usd' THEN v_spend.spent_usd ELSE v_spend.spent_credits END;
    v_cost := job_operator_cost(v_quote.list_price, v_quote.price, v_quote.provider_usd, v_unit);
    IF v_guild_spent + v_cost > v_limit THEN
      -- The budget now stops jobs: the admins hear it once this month (the 100% alert).
      INSERT INTO budget_alert (guild_id, month, threshold, unit, budget, spent)
      VALUES (v_quote.guild_id, (v_month AT TIME ZONE 'UTC')::date, 100, v_unit, v_limit, v_guild_spent)
      ON CONFLICT DO NOTHING;
      RETURN QUERY SELECT 'budget_reached'::text, NULL::uuid, v_quote.price, NULL::int, NULL::text, NULL::text, NULL::int, NULL::int,
                          v_unit, v_limit, v_guild_spent;
      RETURN;
    END IF;
  END IF;

  IF v_quote.price > 0 THEN
    SELECT * INTO v_hold FROM ledger_hold('quote:' || p_quote, v_quote.user_id, v_quote.guild_id, v_quote.price,
                                          p_user, 'job for quote ' || p_quote);
    IF v_hold.outcome = 'insufficient' THEN
      RETURN QUERY SELECT 'insufficient'::text, NULL::uuid, v_quote.price, v_hold.available, NULL::text, NULL::text, NULL::int, NULL::int, NULL::text, NULL::numeric, NULL::numeric; RETURN;
    ELSIF v_hold.outcome NOT IN ('held', 'already') THEN
      RAISE EXCEPTION 'confirm_quote: unexpected hold outcome % for quote %', v_hold.outcome, p_quote;
    END IF;
    v_hold_id := v_hold.hold_id;
  END IF;

  INSERT INTO generation_job (id, quote_id, hold_id, user_id, guild_id, channel_id, request, price, tier_name, priority, deadline_at,
                              interaction_application_id, interaction_token, interaction_expires_at,
                              lane, list_price, provider_usd, confirmed_at)
  VALUES (gen_random_uuid(), p_quote, v_hold_id, v_quote.user_id, v_quote.guild_id, v_quote.channel_id,
          v_quote.request, v_quote.price, v_quote.tier_name, p_priority, p_deadline,
          p_interaction_application, p_interaction_token, p_interaction_expires,
          v_quote.lane, v_quote.list_price, v_quote.provider_usd, v_now)
  RETURNING id INTO v_job;
  UPDATE quote SET status = 'confirmed', confirmed_at = v_now WHERE id = p_quote;
  IF v_budget.guild_id IS NOT NULL THEN
    UPDATE guild_budget_spend s
       SET spent_credits = s.spent_credits + job_operator_cost(v_quote.list_price, v_quote.price, v_quote.provider_usd, 'credits'),
           spent_usd = s.spent_usd + job_operator_cost(v_quote.list_price, v_quote.price, v_quote.provider_usd, 'usd')
     WHERE s.guild_id = v_quote.guild_id AND s.month = v_month_date;
  END IF;

  -- The confirm that takes the month to 80% or 100% of the budget writes its alert; a concurrent
  -- one waited on the guild lock and meets the row (ON CONFLICT): one alert each, whatever the race.
  IF v_budget.guild_id IS NOT NULL THEN
    INSERT INTO budget_alert (guild_id, month, threshold, unit, budget, spent)
    SELECT v_quote.guild_id, (v_month AT TIME ZONE 'UTC')::date, t.threshold, v_unit, v_limit, v_guild_spent + v_cost
      FROM (VALUES (80), (100)) AS t(threshold)
     WHERE (v_guild_spent + v_cost) * 100 >= v_limit * t.threshold
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN QUERY SELECT 'confirmed'::text, v_job, v_quote.price, NULL::int, NULL::text, NULL::text, NULL::int, NULL::int, NULL::text, NULL::numeric, NULL::numeric;
END $$;

-- Finish (as in *_spending_limits), taking back the undelivered share from the running total.
CREATE OR REPLACE FUNCTION finish_job(
  p_job uuid, p_delivered int, p_failure_reason text, p_member_message text,
  p_provider_cost_usd numeric, p_predict_time_seconds double precision, p_restore_grace interval
) RETURNS TABLE (outcome text, status job_status, charged int, refunded int)
LANGUAGE plpgsql AS $$
DECLARE
  v_job generation_job;
  v_count int;
  v_refund int;
  v_settle record;
  v_captured int := 0;
  v_refunded int := 0;
  v_budgeted boolean;
  v_unspent numeric;
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
  -- A server with a budget keeps a running total of the month's operator cost: the finish takes
  -- the server's lock (as confirm_quote does, before any credit lock, so the two never deadlock)
  -- and gives back the share of the job that was not delivered.
  v_budgeted := EXISTS (SELECT 1 FROM guild_budget b WHERE b.guild_id = v_job.guild_id);
  IF v_budgeted THEN
    PERFORM pg_advisory_xact_lock(hashtext('confirm_quote:guild'), hashtext(v_job.guild_id));
  END IF;
  IF v_job.hold_id IS NOT NULL THEN
    v_refund := ceil(v_job.price::numeric * (v_count - p_delivered) / v_count)::int;
    SELECT * INTO v_settle FROM ledger_settle(v_job.hold_id, v_job.price - v_refund, 'system',
      CASE WHEN p_delivered = v_count THEN 'delivered ' || p_delivered || ' image(s)'
           WHEN p_delivered = 0 THEN 'refund: ' || coalesce(p_failure_reason, 'nothing delivered')
           ELSE 'delivered ' || p_delivered || ' of ' || v_count || ' image(s); refund: ' || coalesce(p_failure_reason, 'some failed') END,
      p_restore_grace);
    IF v_settle.outcome NOT IN ('settled', 'already') THEN
      RAISE EXCEPTION 'finish_job: settling hold % gave %', v_job.hold_id, v_settle.outcome;
    END IF;
    v_captured := v_settle.captured;
    v_refunded := v_settle.refunded;
  END IF;
  UPDATE generation_job j SET
    status = CASE WHEN p_delivered = v_count THEN 'succeeded'::job_status WHEN p_delivered = 0 THEN 'failed'::job_status ELSE 'partial'::job_status END,
    images_delivered = p_delivered, credits_charged = v_captured, credits_refunded = v_refunded,
    failure_reason = p_failure_reason, member_message = p_member_message,
    provider_cost_usd = p_provider_cost_usd, predict_time_seconds = p_predict_time_seconds,
    finished_at = ledger_now(), lease_owner = NULL, lease_until = NULL
  WHERE j.id = p_job
  RETURNING j.status INTO v_job.status;
  IF v_budgeted AND p_delivered < v_count THEN
    v_unspent := (v_count - p_delivered)::numeric / v_count;
    UPDATE guild_budget_spend s
       SET spent_credits = s.spent_credits - job_operator_cost(v_job.list_price, v_job.price, v_job.provider_usd, 'credits') * v_unspent,
           spent_usd = s.spent_usd - job_operator_cost(v_job.list_price, v_job.price, v_job.provider_usd, 'usd') * v_unspent
     WHERE s.guild_id = v_job.guild_id AND s.month = (date_trunc('month', v_job.confirmed_at AT TIME ZONE 'UTC'))::date;
  END IF;
  RETURN QUERY SELECT 'finished'::text, v_job.status, v_captured, v_refunded;
END $$;
