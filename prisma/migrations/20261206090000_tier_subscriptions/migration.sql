-- Tiers that are sold (issue 15): a member's tier can come from a subscription — a Discord user
-- subscription (that member, in every server), a Discord guild subscription (every member of that
-- server) or a Stripe subscription (that member, in every server) — as well as from role mappings.
--
-- tier_subscription is one subscription as its seller last described it: its tier, its current
-- paid period and whether it renews. tier_subscription_period is one paid period (a Discord
-- renewal, a Stripe invoice, an upgrade's difference): the credits it is worth and the window it
-- covers. Only these rows authorise subscription credits, and only code that reads verified
-- seller events (the gateway, signed webhooks) writes them: no admin path reaches them.
--
-- Credits of a user-level subscription follow the member to every server (a global tier lot, as
-- purchased top-ups are global); a guild subscription's are granted per member in that guild,
-- lazily, when the member next uses the bot there. Each lot records its period and the paid
-- period it came from, so a refund takes back exactly what that period left unspent.

CREATE TYPE "tier_subscription_source" AS ENUM ('discord', 'stripe');
CREATE TYPE "tier_subscription_status" AS ENUM ('active', 'ending', 'ended');

CREATE TABLE "tier_subscription" (
    "id" TEXT NOT NULL,
    "source" "tier_subscription_source" NOT NULL,
    "external_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "guild_id" TEXT,
    "tier_name" TEXT NOT NULL,
    "renewal_tier_name" TEXT,
    "plan_interval" TEXT NOT NULL,
    "current_period_start" TIMESTAMPTZ(3) NOT NULL,
    "current_period_end" TIMESTAMPTZ(3) NOT NULL,
    "status" "tier_subscription_status" NOT NULL DEFAULT 'active',
    "ended_at" TIMESTAMPTZ(3),
    "end_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tier_subscription_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "tier_subscription_user_id_guild_id_idx" ON "tier_subscription"("user_id", "guild_id");
CREATE INDEX "tier_subscription_guild_id_idx" ON "tier_subscription"("guild_id");

CREATE TABLE "tier_subscription_period" (
    "id" BIGSERIAL NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "tier_name" TEXT NOT NULL,
    "credits" INTEGER NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tier_subscription_period_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "tier_subscription_period_reference_key" ON "tier_subscription_period"("reference");
CREATE INDEX "tier_subscription_period_subscription_id_idx" ON "tier_subscription_period"("subscription_id");
ALTER TABLE "tier_subscription_period" ADD CONSTRAINT "tier_subscription_period_subscription_id_fkey"
  FOREIGN KEY ("subscription_id") REFERENCES "tier_subscription"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "credit_lot" ADD COLUMN "subscription_period_id" BIGINT;
CREATE INDEX "credit_lot_subscription_period_id_idx" ON "credit_lot"("subscription_period_id");
ALTER TABLE "credit_lot" ADD CONSTRAINT "credit_lot_subscription_period_id_fkey"
  FOREIGN KEY ("subscription_period_id") REFERENCES "tier_subscription_period"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The id is `<source>:<external_id>`, so it alone keeps a seller's subscription one row: a second
-- unique index on (source, external_id) made concurrent upserts of one subscription (its create
-- and entitlement events arrive together) fail on that index instead of meeting ON CONFLICT (id).
ALTER TABLE tier_subscription ADD CONSTRAINT tier_subscription_id_names_it CHECK (id = source::text || ':' || external_id);
ALTER TABLE tier_subscription ADD CONSTRAINT tier_subscription_period_order CHECK (current_period_end > current_period_start);
ALTER TABLE tier_subscription ADD CONSTRAINT tier_subscription_plan_interval CHECK (plan_interval IN ('week', 'month', 'year'));
ALTER TABLE tier_subscription ADD CONSTRAINT tier_subscription_ended_at CHECK ((status = 'ended') = (ended_at IS NOT NULL));
ALTER TABLE tier_subscription_period ADD CONSTRAINT tier_subscription_period_order CHECK (period_end > period_start AND expires_at >= period_end);
ALTER TABLE tier_subscription_period ADD CONSTRAINT tier_subscription_period_credits CHECK (credits >= 0);

-- Global lots were top-ups only. Now a user-level subscription's allowance (tier) and the
-- one-time welcome grant (free) follow the member to every server too; top-ups stay global.
ALTER TABLE credit_lot DROP CONSTRAINT credit_lot_topups_are_global;
ALTER TABLE credit_lot ADD CONSTRAINT credit_lot_topups_are_global CHECK (kind <> 'topup' OR guild_id IS NULL);
ALTER TABLE credit_lot ADD CONSTRAINT credit_lot_global_kinds CHECK (guild_id IS NOT NULL OR kind IN ('topup', 'tier', 'free'));

-- Subscriptions and their periods are ledger history, kept like lots.
CREATE TRIGGER tier_subscription_period_kept BEFORE DELETE ON tier_subscription_period
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_rows_are_kept();
CREATE TRIGGER tier_subscription_kept BEFORE DELETE ON tier_subscription
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_rows_are_kept();

-- A tier allowance for one period, less what overlapping periods already gave (as in
-- *_tier_periods_overlap), now with global lots in the count. A guild lot (a role, a guild
-- subscription) counts the guild's and the member's global tier lots; a global lot (a user
-- subscription) counts only global ones, because it must serve every server. One lock per member
-- for all of it: a global grant and a guild grant of the same member queue up.
DROP FUNCTION ledger_grant_tier_allowance(text, text, text, text, int, timestamptz, timestamptz, timestamptz);
CREATE FUNCTION ledger_grant_tier_allowance(
  p_user text, p_guild text, p_period_key text, p_tier_name text, p_allowance int, p_expires_at timestamptz,
  p_period_start timestamptz, p_period_end timestamptz,
  -- NULL: a role's allowance, keyed by what overlapping periods gave before it.
  p_grant_key text, p_subscription_period bigint
) RETURNS TABLE (outcome text, lot_id bigint, amount int, expires_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_granted int;
  v_lot record;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('tier:' || p_user, 0));
  IF p_grant_key IS NOT NULL AND EXISTS (SELECT 1 FROM credit_lot l WHERE l.source_key = 'grant:' || p_grant_key) THEN
    RETURN QUERY SELECT 'already'::text, NULL::bigint, 0, NULL::timestamptz;
    RETURN;
  END IF;
  SELECT coalesce(sum(l.amount), 0) INTO v_granted FROM credit_lot l
   WHERE l.user_id = p_user AND l.kind = 'tier'
     AND (l.guild_id IS NULL OR l.guild_id = p_guild)
     AND (l.period_key = p_period_key
          OR (l.period_start IS NOT NULL AND l.period_start < p_period_end AND l.period_end > p_period_start));
  IF p_allowance - v_granted <= 0 THEN
    RETURN QUERY SELECT 'already'::text, NULL::bigint, 0, NULL::timestamptz;
    RETURN;
  END IF;
  SELECT * INTO v_lot FROM ledger_grant(
    -- A role's allowance is keyed by what was given before it (as before): an upgrade's difference is a new key.
    coalesce(p_grant_key, 'tier:' || p_guild || ':' || p_user || ':' || p_period_key || ':' || p_tier_name || ':' || v_granted), p_user, p_guild, 'tier', p_allowance - v_granted, p_expires_at, p_period_key, p_tier_name, 'system',
    CASE WHEN v_granted = 0 THEN p_tier_name || ' allowance ' || p_period_key
         ELSE p_tier_name || ' allowance ' || p_period_key || ' (less ' || v_granted || ' already given for overlapping periods)' END) g;
  IF v_lot.outcome = 'created' THEN
    UPDATE credit_lot SET period_start = p_period_start, period_end = p_period_end, subscription_period_id = p_subscription_period
     WHERE id = v_lot.lot_id;
  END IF;
  RETURN QUERY SELECT v_lot.outcome, v_lot.lot_id, v_lot.amount, v_lot.expires_at;
END $$;

-- Grants one paid subscription period to one member: a user-level subscription's to its buyer,
-- globally (p_guild is ignored); a guild subscription's to a member of that guild (p_guild must
-- be it). Nothing for a revoked period, an ended one, or a member the period is not for.
-- Key: one lot per period and member, whichever path (the payment event, a later interaction)
-- gets there first.
CREATE FUNCTION ledger_grant_subscription_period(p_period_id bigint, p_user text, p_guild text)
RETURNS TABLE (outcome text, lot_id bigint, amount int, expires_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_period tier_subscription_period;
  v_sub tier_subscription;
  v_lot_guild text;
BEGIN
  SELECT * INTO v_period FROM tier_subscription_period p WHERE p.id = p_period_id;
  SELECT * INTO v_sub FROM tier_subscription s WHERE s.id = v_period.subscription_id;
  IF v_period.id IS NULL OR v_period.revoked_at IS NOT NULL OR v_period.credits <= 0 OR v_period.period_end <= ledger_now()
     OR v_sub.status = 'ended' THEN
    RETURN QUERY SELECT 'not_due'::text, NULL::bigint, 0, NULL::timestamptz;
    RETURN;
  END IF;
  IF v_sub.guild_id IS NULL THEN
    IF v_sub.user_id <> p_user THEN
      RETURN QUERY SELECT 'not_due'::text, NULL::bigint, 0, NULL::timestamptz;
      RETURN;
    END IF;
    v_lot_guild := NULL;
  ELSE
    IF p_guild IS DISTINCT FROM v_sub.guild_id THEN
      RETURN QUERY SELECT 'not_due'::text, NULL::bigint, 0, NULL::timestamptz;
      RETURN;
    END IF;
    v_lot_guild := v_sub.guild_id;
  END IF;
  RETURN QUERY SELECT * FROM ledger_grant_tier_allowance(
    p_user, v_lot_guild, 'sub:' || v_period.reference, v_period.tier_name, v_period.credits, v_period.expires_at,
    v_period.period_start, v_period.period_end, 'subscription:' || v_period.id || ':' || p_user, v_period.id);
END $$;

-- A member's subscriptions: their own user-level ones and their server's. Two index lookups
-- (by buyer, by server) rather than one OR across both columns, which the planner answers by
-- scanning every subscription: this runs on every interaction.
CREATE FUNCTION ledger_member_subscription_rows(p_user text, p_guild text)
RETURNS SETOF tier_subscription LANGUAGE sql STABLE AS $$
  SELECT * FROM tier_subscription s WHERE s.user_id = p_user AND s.guild_id IS NULL AND s.status <> 'ended'
  UNION ALL
  SELECT * FROM tier_subscription s WHERE s.guild_id = p_guild AND s.status <> 'ended'
$$;

-- The member's live subscriptions (their own, and their guild's), as the bot shows them.
CREATE FUNCTION ledger_member_subscriptions(p_user text, p_guild text, p_now timestamptz)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'id', s.id, 'source', s.source, 'scope', CASE WHEN s.guild_id IS NULL THEN 'user' ELSE 'guild' END,
           'tier', s.tier_name, 'renewal_tier', s.renewal_tier_name, 'interval', s.plan_interval,
           'period_end', s.current_period_end, 'status', s.status) ORDER BY s.created_at), '[]'::jsonb)
    FROM ledger_member_subscription_rows(p_user, p_guild) s
   WHERE s.current_period_end > p_now
$$;

-- Allowances (as in *_tier_periods_overlap), and now also:
--   * the one-time welcome grant (policy.welcome_credits, from the card): once per member, global,
--     never expiring;
--   * every live paid period of the member's subscriptions (their own, their guild's), granted
--     before the role tier's allowance so that allowance counts them;
--   * a tier is allowed, besides the default and this guild's role mappings, when a live
--     subscription of the member or of this guild gives it.
-- Returns the member's live subscriptions too, so the caller decides their tier in one round trip.
DROP FUNCTION ledger_grant_allowances(text, text, text, int, timestamptz, text, text, text, int, timestamptz, timestamptz, timestamptz, jsonb);
CREATE FUNCTION ledger_grant_allowances(
  p_user text, p_guild text,
  p_free_key text, p_free_amount int, p_free_expires_at timestamptz, p_free_reason text,
  p_tier_period_key text, p_tier_name text, p_tier_allowance int, p_tier_expires_at timestamptz,
  p_tier_period_start timestamptz, p_tier_period_end timestamptz,
  p_policy jsonb
) RETURNS TABLE (
  free_outcome text, free_lot_id bigint, free_amount int, free_expires_at timestamptz,
  tier_outcome text, tier_lot_id bigint, tier_amount int, tier_expires_at timestamptz,
  welcome_amount int, subscription_amount int, subscriptions jsonb,
  held bigint, buckets jsonb
)
LANGUAGE plpgsql AS $$
DECLARE
  v_free_ceiling int;
  v_card_allowance int;
  v_admin_tiers text[];
  v_owner_ids text[];
  v_free int;
  v_welcome int;
  v_now timestamptz := ledger_now();
  v_sub record;
  v_period record;
  v_granted record;
BEGIN
  -- A missing or partial policy is a programming error, never "no limit" (least() ignores NULLs).
  IF p_policy IS NULL OR jsonb_typeof(p_policy->'free_daily_ceiling') IS DISTINCT FROM 'number'
     OR jsonb_typeof(p_policy->'owner_ids') IS DISTINCT FROM 'array'
     OR jsonb_typeof(p_policy->'tier_allowances') IS DISTINCT FROM 'object'
     OR jsonb_typeof(p_policy->'default_tier') IS DISTINCT FROM 'string'
     OR jsonb_typeof(p_policy->'welcome_credits') IS DISTINCT FROM 'number'
     OR coalesce(jsonb_typeof(p_policy->'admin_tiers'), 'missing') NOT IN ('array', 'null') THEN
    RAISE EXCEPTION 'ledger_grant_allowances: incomplete server admin policy %', p_policy;
  END IF;
  v_free_ceiling := (p_policy->>'free_daily_ceiling')::int;
  v_welcome := (p_policy->>'welcome_credits')::int;
  v_owner_ids := ARRAY(SELECT jsonb_array_elements_text(p_policy->'owner_ids'));
  v_admin_tiers := CASE WHEN jsonb_typeof(p_policy->'admin_tiers') = 'array'
                        THEN ARRAY(SELECT jsonb_array_elements_text(p_policy->'admin_tiers')) END;
  welcome_amount := 0;
  subscription_amount := 0;

  IF v_welcome > 0 AND NOT EXISTS (SELECT 1 FROM credit_lot l WHERE l.source_key = 'grant:welcome:' || p_user) THEN
    SELECT g.amount INTO welcome_amount
      FROM ledger_grant('welcome:' || p_user, p_user, NULL, 'free', v_welcome, NULL, NULL, NULL, 'system', 'welcome credits') g
     WHERE g.outcome = 'created';
    welcome_amount := coalesce(welcome_amount, 0);
  END IF;

  IF p_free_key IS NOT NULL THEN
    v_free := least(p_free_amount, v_free_ceiling);
    -- Nearly every call finds today's grant made: an index probe is cheaper than an insert attempt.
    IF v_free > 0 AND NOT EXISTS (SELECT 1 FROM credit_lot l WHERE l.source_key = 'grant:' || p_free_key) THEN
      SELECT g.outcome, g.lot_id, g.amount, g.expires_at INTO free_outcome, free_lot_id, free_amount, free_expires_at
        FROM ledger_grant(p_free_key, p_user, p_guild, 'free', v_free, p_free_expires_at, NULL, NULL, 'system', p_free_reason) g;
    END IF;
  END IF;

  -- Subscription by subscription, then its periods by its id: each lookup an index's own, whatever
  -- the planner knows of the tables (one join across both was planned as a scan of every period).
  FOR v_sub IN SELECT s.id FROM ledger_member_subscription_rows(p_user, p_guild) s ORDER BY s.created_at, s.id LOOP
    FOR v_period IN
      SELECT p.id FROM tier_subscription_period p
       WHERE p.subscription_id = v_sub.id AND p.revoked_at IS NULL AND p.period_start <= v_now AND p.period_end > v_now
         AND NOT EXISTS (SELECT 1 FROM credit_lot l WHERE l.source_key = 'grant:subscription:' || p.id || ':' || p_user)
       ORDER BY p.period_start, p.id
    LOOP
      SELECT * INTO v_granted FROM ledger_grant_subscription_period(v_period.id, p_user, p_guild);
      IF v_granted.outcome = 'created' THEN
        subscription_amount := subscription_amount + v_granted.amount;
      END IF;
    END LOOP;
  END LOOP;

  IF p_tier_period_key IS NOT NULL THEN
    v_card_allowance := (p_policy->'tier_allowances'->>p_tier_name)::int;
    IF v_card_allowance IS NULL OR v_card_allowance <= 0 OR (
         p_tier_name <> p_policy->>'default_tier'
         AND NOT EXISTS (SELECT 1 FROM guild_tier_role r
                          WHERE r.guild_id = p_guild AND r.tier_name = p_tier_name
                            AND (r.set_by = ANY (v_owner_ids) OR v_admin_tiers IS NULL OR p_tier_name = ANY (v_admin_tiers)))) THEN
      tier_outcome := 'refused';
    ELSE
      SELECT g.outcome, g.lot_id, g.amount, g.expires_at INTO tier_outcome, tier_lot_id, tier_amount, tier_expires_at
        FROM ledger_grant_tier_allowance(p_user, p_guild, p_tier_period_key, p_tier_name,
                                         least(p_tier_allowance, v_card_allowance), p_tier_expires_at,
                                         p_tier_period_start, p_tier_period_end, NULL, NULL) g;
    END IF;
  END IF;
  subscriptions := ledger_member_subscriptions(p_user, p_guild, v_now);
  SELECT b.held, b.buckets INTO held, buckets FROM ledger_balance(p_user, p_guild) b;
  RETURN NEXT;
END $$;

-- Revoke (as in *_one_spending_order), now skipping global lots: a guild admin's revoke takes only
-- that guild's lots, never a member's subscription credits or welcome grant, which serve every server.
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
    CONTINUE WHEN r.guild_id IS NULL;
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

-- A reversal of one lot (as ledger_reverse_purchase did for a top-up, in *_reversal_owed): takes
-- what is left of the lot towards p_target, records what it could not take as owed, and takes
-- that when held credits come back to the lot (ledger_settle collects it). Now for any lot, so a
-- refunded subscription period takes back its own lots' unspent credits in every guild.
CREATE FUNCTION ledger_reverse_lot(
  p_key text, p_lot_id bigint, p_target int, p_actor text, p_reason text
) RETURNS TABLE (outcome text, user_id text, taken int, shortfall int, remaining int)
LANGUAGE plpgsql AS $$
DECLARE
  v_lot credit_lot;
  v_done int;
  v_owed int;
  v_take int;
  v_line int;
BEGIN
  SELECT * INTO v_lot FROM credit_lot l WHERE l.id = p_lot_id FOR UPDATE;
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
    VALUES ('reverse:' || p_key, v_line, 'revoke', v_lot.user_id, v_lot.guild_id, v_lot.id, v_lot.kind, -v_take, 0, p_actor, p_reason);
  END IF;
  UPDATE credit_lot l SET remaining = l.remaining - v_take, reversal_owed = v_owed - v_take WHERE l.id = v_lot.id;
  RETURN QUERY SELECT CASE WHEN v_take > 0 THEN 'reversed' ELSE 'nothing_due' END::text,
                      v_lot.user_id, v_take, v_owed - v_take, v_lot.remaining - v_take;
END $$;

-- A purchase's reversal is its top-up lot's reversal.
CREATE OR REPLACE FUNCTION ledger_reverse_purchase(
  p_key text, p_purchase_key text, p_target int, p_actor text, p_reason text
) RETURNS TABLE (outcome text, user_id text, taken int, shortfall int, remaining int)
LANGUAGE plpgsql AS $$
DECLARE
  v_lot_id bigint;
BEGIN
  SELECT l.id INTO v_lot_id FROM credit_lot l WHERE l.source_key = 'grant:' || p_purchase_key AND l.kind = 'topup';
  IF v_lot_id IS NULL THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text, 0, 0, 0;
    RETURN;
  END IF;
  RETURN QUERY SELECT * FROM ledger_reverse_lot(p_key, v_lot_id, p_target, p_actor, p_reason);
END $$;

-- Ends a subscription (a refund, a deleted entitlement, a failed renewal Stripe gave up on, the
-- end of a cancelled plan): the tier ends at p_ends_at (now for a refund; the period's end for a
-- cancellation that has run out). With p_take_back_fraction > 0, each paid period still running
-- at p_ends_at is revoked and that fraction of each of its lots (rounded up, at most the lot)
-- is taken back from what is unspent — 1 for a deleted entitlement, the refunded share of the
-- price for a partial refund. Idempotent by subscription and key: a replay takes nothing more.
CREATE FUNCTION ledger_end_subscription(
  p_subscription_id text, p_ends_at timestamptz, p_reason text, p_take_back_fraction numeric, p_key text
) RETURNS TABLE (outcome text, taken int, shortfall int)
LANGUAGE plpgsql AS $$
DECLARE
  v_sub tier_subscription;
  v_lot record;
  v_rev record;
  v_taken int := 0;
  v_shortfall int := 0;
BEGIN
  SELECT * INTO v_sub FROM tier_subscription s WHERE s.id = p_subscription_id FOR UPDATE;
  IF v_sub.id IS NULL THEN
    RETURN QUERY SELECT 'not_found'::text, 0, 0;
    RETURN;
  END IF;
  IF p_take_back_fraction < 0 OR p_take_back_fraction > 1 THEN
    RAISE EXCEPTION 'ledger_end_subscription: take-back fraction % is not in [0, 1]', p_take_back_fraction;
  END IF;
  IF v_sub.status <> 'ended' THEN
    UPDATE tier_subscription SET status = 'ended', ended_at = p_ends_at, end_reason = p_reason,
           current_period_end = greatest(least(current_period_end, p_ends_at), current_period_start + interval '1 millisecond'),
           updated_at = now()
     WHERE id = v_sub.id;
  END IF;
  IF p_take_back_fraction > 0 THEN
    UPDATE tier_subscription_period SET revoked_at = coalesce(revoked_at, p_ends_at)
     WHERE subscription_id = v_sub.id AND period_end > p_ends_at;
    FOR v_lot IN
      SELECT l.id, l.amount FROM credit_lot l JOIN tier_subscription_period p ON p.id = l.subscription_period_id
       WHERE p.subscription_id = v_sub.id AND p.period_end > p_ends_at
       ORDER BY l.id
    LOOP
      SELECT * INTO v_rev FROM ledger_reverse_lot(p_key || ':' || v_lot.id, v_lot.id,
        least(v_lot.amount, ceil(v_lot.amount * p_take_back_fraction))::int, 'system', p_reason);
      IF v_rev.outcome <> 'already' THEN
        v_taken := v_taken + v_rev.taken;
      END IF;
      v_shortfall := v_shortfall + v_rev.shortfall;
    END LOOP;
  END IF;
  RETURN QUERY SELECT CASE WHEN v_sub.status = 'ended' THEN 'already' ELSE 'ended' END::text, v_taken, v_shortfall;
END $$;

-- What one server gave a member (its free, tier and gifted lots, and what their jobs there hold),
-- without their global lots — plans, welcome credits and purchases are theirs across every
-- server: a server admin looking at a member's credits sees only this.
CREATE FUNCTION ledger_guild_balance(p_user text, p_guild text)
RETURNS TABLE (held bigint, buckets jsonb)
LANGUAGE sql AS $$
  WITH c AS (SELECT ledger_now() AS now)
  SELECT
    (SELECT coalesce(sum(h.amount), 0) FROM credit_hold h
      WHERE h.user_id = p_user AND h.guild_id = p_guild AND h.status = 'held')::bigint,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', b.kind, 'available', b.available, 'next_expiry', b.next_expiry)), '[]'::jsonb)
       FROM (SELECT l.kind, sum(l.remaining) AS available, min(l.expires_at) AS next_expiry FROM credit_lot l, c
              WHERE l.user_id = p_user AND l.guild_id = p_guild
                AND l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > c.now)
              GROUP BY l.kind) b)
$$;
