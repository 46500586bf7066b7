-- Spending limits (issue 17): member caps, a server budget with alerts, and two lane rules, all
-- decided inside confirm_quote so concurrent confirms cannot pass them.
--
--   * quote and generation_job carry their lane, their list price (the price at lane factor 1×,
--     what the work is worth to the operator; NULL = the price) and a provider-dollar estimate
--     made at quote time. confirm_quote copies them to the job.
--   * A Relax quote may cost 0 credits: it confirms into a job without a hold (ledger_hold refuses
--     0), and finish_job settles nothing for it.
--   * A member has at most one Relax job queued or running, across all servers (Relax costs the
--     operator even when it costs the member nothing).
--   * Member caps: a member's own daily / monthly caps (member_settings) and the server's caps for
--     them (guild_spending_cap, per member or role, combined by the bot into one cap per period
--     and passed in) — the stricter applies. Spending = the member's jobs in this server confirmed
--     in the period (UTC): held in full while queued or running, then what was charged.
--   * A server budget per calendar month (UTC), in credits or provider dollars: the operator cost of
--     the server's jobs confirmed this month (queued or running in full, finished by the share
--     delivered). A confirm that would pass it is refused. The confirm that reaches 80% or 100%
--     (or is refused by the budget) writes one budget_alert row per (guild, month, threshold),
--     ON CONFLICT DO NOTHING, which the bot delivers and marks sent.
-- Confirms of one member serialise on an advisory lock per user, and those of one server with a
-- budget on one per guild (always taken in that order), so every check sees every earlier confirm.

-- Lanes, list price and the dollar estimate, on the quote and on the job.
ALTER TABLE "quote"
    ADD COLUMN "lane" TEXT NOT NULL DEFAULT 'fast',
    ADD COLUMN "list_price" INTEGER,
    ADD COLUMN "provider_usd" DECIMAL(12,6);
ALTER TABLE "quote" DROP CONSTRAINT "quote_price_positive";
ALTER TABLE "generation_job" DROP CONSTRAINT "generation_job_price_positive";
ALTER TABLE "quote"
    ADD CONSTRAINT "quote_lane_check" CHECK ("lane" IN ('relax', 'fast', 'turbo')),
    -- Only Relax may be free to the member.
    ADD CONSTRAINT "quote_price_check" CHECK ("price" >= 1 OR ("price" = 0 AND "lane" = 'relax')),
    ADD CONSTRAINT "quote_list_price_check" CHECK ("list_price" IS NULL OR "list_price" >= 0),
    ADD CONSTRAINT "quote_provider_usd_check" CHECK ("provider_usd" IS NULL OR "provider_usd" >= 0);

ALTER TABLE "generation_job"
    ADD COLUMN "lane" TEXT NOT NULL DEFAULT 'fast',
    ADD COLUMN "list_price" INTEGER,
    ADD COLUMN "provider_usd" DECIMAL(12,6),
    -- When confirm_quote committed it, on the ledger's clock: the period caps and budgets count in.
    ADD COLUMN "confirmed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    ALTER COLUMN "hold_id" DROP NOT NULL;
ALTER TABLE "generation_job"
    ADD CONSTRAINT "generation_job_lane_check" CHECK ("lane" IN ('relax', 'fast', 'turbo')),
    ADD CONSTRAINT "generation_job_price_check" CHECK ("price" >= 1 OR ("price" = 0 AND "lane" = 'relax')),
    -- A job without a hold is a free (0-credit) Relax job, and only that.
    ADD CONSTRAINT "generation_job_hold_check" CHECK ("hold_id" IS NOT NULL OR ("price" = 0 AND "lane" = 'relax')),
    ADD CONSTRAINT "generation_job_list_price_check" CHECK ("list_price" IS NULL OR "list_price" >= 0),
    ADD CONSTRAINT "generation_job_provider_usd_check" CHECK ("provider_usd" IS NULL OR "provider_usd" >= 0);
UPDATE "generation_job" SET "confirmed_at" = "created_at";

CREATE INDEX "generation_job_user_id_guild_id_confirmed_at_idx" ON "generation_job"("user_id", "guild_id", "confirmed_at");
CREATE INDEX "generation_job_guild_id_confirmed_at_idx" ON "generation_job"("guild_id", "confirmed_at");

-- A member's own caps (/settings); NULL = none.
ALTER TABLE "member_settings"
    ADD COLUMN "daily_cap" INTEGER,
    ADD COLUMN "monthly_cap" INTEGER;
ALTER TABLE "member_settings"
    ADD CONSTRAINT "member_settings_daily_cap_range" CHECK ("daily_cap" IS NULL OR "daily_cap" BETWEEN 0 AND 1000000),
    ADD CONSTRAINT "member_settings_monthly_cap_range" CHECK ("monthly_cap" IS NULL OR "monthly_cap" BETWEEN 0 AND 1000000);

-- A server's caps for one member or one role (/admin caps); NULL = none for that period.
CREATE TABLE "guild_spending_cap" (
    "guild_id" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "daily_cap" INTEGER,
    "monthly_cap" INTEGER,
    "set_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guild_spending_cap_pkey" PRIMARY KEY ("guild_id","subject_kind","subject_id"),
    CONSTRAINT "guild_spending_cap_kind_check" CHECK ("subject_kind" IN ('member', 'role')),
    -- A member's rule replaces their roles' caps (null = none: an exemption); a role's needs a cap.
    CONSTRAINT "guild_spending_cap_some_check" CHECK ("subject_kind" = 'member' OR "daily_cap" IS NOT NULL OR "monthly_cap" IS NOT NULL),
    CONSTRAINT "guild_spending_cap_daily_range" CHECK ("daily_cap" IS NULL OR "daily_cap" BETWEEN 0 AND 1000000),
    CONSTRAINT "guild_spending_cap_monthly_range" CHECK ("monthly_cap" IS NULL OR "monthly_cap" BETWEEN 0 AND 1000000)
);

-- A server's monthly budget, in credits or in provider dollars (exactly one). set_by_operator:
-- set by one of the operator's owners, so the server's owner may not change it.
CREATE TABLE "guild_budget" (
    "guild_id" TEXT NOT NULL,
    "monthly_credits" INTEGER,
    "monthly_usd" DECIMAL(12,2),
    "set_by" TEXT NOT NULL,
    "set_by_operator" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guild_budget_pkey" PRIMARY KEY ("guild_id"),
    CONSTRAINT "guild_budget_one_unit_check" CHECK (("monthly_credits" IS NULL) <> ("monthly_usd" IS NULL)),
    CONSTRAINT "guild_budget_credits_range" CHECK ("monthly_credits" IS NULL OR "monthly_credits" BETWEEN 1 AND 100000000),
    CONSTRAINT "guild_budget_usd_range" CHECK ("monthly_usd" IS NULL OR "monthly_usd" BETWEEN 0.01 AND 1000000)
);

-- Where the server's admins want budget alerts; NULL = a DM to the server's owner.
ALTER TABLE "guild_config" ADD COLUMN "budget_alert_channel_id" TEXT;

-- The outbox of budget alerts: one row per (guild, month, threshold), written by the confirm that
-- crosses the line, delivered by the bot (sending_until is its lease; sent_at once delivered).
CREATE TABLE "budget_alert" (
    "guild_id" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "threshold" INTEGER NOT NULL,
    "unit" TEXT NOT NULL,
    "budget" DECIMAL(14,2) NOT NULL,
    "spent" DECIMAL(14,2) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sending_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "budget_alert_pkey" PRIMARY KEY ("guild_id","month","threshold"),
    CONSTRAINT "budget_alert_threshold_check" CHECK ("threshold" IN (80, 100)),
    CONSTRAINT "budget_alert_unit_check" CHECK ("unit" IN ('credits', 'usd'))
);
CREATE INDEX "budget_alert_sent_at_created_at_idx" ON "budget_alert"("sent_at", "created_at");

-- What a member spent in a server since p_since: held in full while a job is queued or running,
-- then what it charged (a failed job 0, a partial one its delivered share).
CREATE FUNCTION member_spent_since(p_user text, p_guild text, p_since timestamptz) RETURNS int
LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(CASE WHEN j.status IN ('queued', 'running') THEN j.price ELSE coalesce(j.credits_charged, 0) END), 0)::int
    FROM generation_job j
   WHERE j.user_id = p_user AND j.guild_id = p_guild AND j.confirmed_at >= p_since
$$;

-- One job's cost to the operator, in credits (its list price) or provider dollars (the estimate
-- stored at quote time; a job from before this migration: its list price at the default 100 per $).
CREATE FUNCTION job_operator_cost(p_list_price int, p_price int, p_provider_usd numeric, p_unit text) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_unit = 'usd' THEN coalesce(p_provider_usd, coalesce(p_list_price, p_price)::numeric / 100)
              ELSE coalesce(p_list_price, p_price)::numeric END
$$;

-- What a server's jobs confirmed since p_since cost the operator: queued or running in full (so
-- concurrent confirms cannot overshoot), finished by the share of images delivered.
CREATE FUNCTION guild_operator_spent_since(p_guild text, p_since timestamptz, p_unit text) RETURNS numeric
LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(job_operator_cost(j.list_price, j.price, j.provider_usd, p_unit)
                      * CASE WHEN j.status IN ('queued', 'running') THEN 1
                             ELSE j.images_delivered::numeric / greatest((j.request->>'count')::int, 1) END), 0)
    FROM generation_job j
   WHERE j.guild_id = p_guild AND j.confirmed_at >= p_since
$$;

-- Confirm (as in *_ledger_clock), with the lane rules, caps and budget checked under the member's
-- and the server's locks before anything is held. New outcomes (nothing held, nothing written but
-- a budget alert): 'relax_busy'; 'cap_reached' (cap_period 'day' | 'month', cap_source 'member' |
-- 'server', cap_limit, cap_spent); 'budget_reached' (budget_unit, budget, budget_spent).
-- p_server_daily_cap / p_server_monthly_cap: the server's caps for this member (from its member
-- and role caps), NULL = none.
DROP FUNCTION confirm_quote(uuid, text, int, timestamptz, text, text, timestamptz);
CREATE FUNCTION confirm_quote(p_quote uuid, p_user text, p_priority int, p_deadline timestamptz,
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
    v_guild_spent := guild_operator_spent_since(v_quote.guild_id, v_month, v_unit);
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

-- Finish (as in *_restore_keeps_expiry): a free Relax job (no hold) settles nothing.
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
  RETURN QUERY SELECT 'finished'::text, v_job.status, v_captured, v_refunded;
END $$;
