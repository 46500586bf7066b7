-- No allowance period is granted twice, whichever periods overlap (issue 15). A tier lot records
-- the period it is the allowance of ([period_start, period_end)); a tier grant gives the period's
-- allowance less what the member already got, in this guild, for any period overlapping it — the
-- same period (an upgrade: the difference), a period of another length (a weekly tier, then a
-- monthly one), or, once tiers come from subscriptions, a period that starts on the purchase date.
-- Lots granted before this migration have no period recorded and count only for their own
-- period key, as before.
ALTER TABLE "credit_lot" ADD COLUMN "period_start" TIMESTAMPTZ(3), ADD COLUMN "period_end" TIMESTAMPTZ(3);
ALTER TABLE "credit_lot" ADD CONSTRAINT "credit_lot_period_order" CHECK (period_end > period_start);

DROP FUNCTION ledger_grant_allowances(text, text, text, int, timestamptz, text, text, text, int, timestamptz, jsonb);
DROP FUNCTION ledger_grant_tier_allowance(text, text, text, text, int, timestamptz);

CREATE FUNCTION ledger_grant_tier_allowance(
  p_user text, p_guild text, p_period_key text, p_tier_name text, p_allowance int, p_expires_at timestamptz,
  p_period_start timestamptz, p_period_end timestamptz
) RETURNS TABLE (outcome text, lot_id bigint, amount int, expires_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_granted int;
  v_lot record;
BEGIN
  -- One lock for all of a member's tier grants in a guild: overlapping periods may have any keys.
  PERFORM pg_advisory_xact_lock(hashtextextended('tier:' || p_guild || ':' || p_user, 0));
  SELECT coalesce(sum(l.amount), 0) INTO v_granted FROM credit_lot l
   WHERE l.user_id = p_user AND l.guild_id = p_guild AND l.kind = 'tier'
     AND (l.period_key = p_period_key
          OR (l.period_start IS NOT NULL AND l.period_start < p_period_end AND l.period_end > p_period_start));
  IF p_allowance - v_granted <= 0 THEN
    RETURN QUERY SELECT 'already'::text, NULL::bigint, 0, NULL::timestamptz;
    RETURN;
  END IF;
  SELECT * INTO v_lot FROM ledger_grant(
    'tier:' || p_guild || ':' || p_user || ':' || p_period_key || ':' || p_tier_name || ':' || v_granted,
    p_user, p_guild, 'tier', p_allowance - v_granted, p_expires_at, p_period_key, p_tier_name, 'system',
    CASE WHEN v_granted = 0 THEN p_tier_name || ' allowance ' || p_period_key
         ELSE p_tier_name || ' allowance ' || p_period_key || ' (less ' || v_granted || ' already given for overlapping periods)' END) g;
  IF v_lot.outcome = 'created' THEN
    UPDATE credit_lot SET period_start = p_period_start, period_end = p_period_end WHERE id = v_lot.lot_id;
  END IF;
  RETURN QUERY SELECT v_lot.outcome, v_lot.lot_id, v_lot.amount, v_lot.expires_at;
END $$;

-- Allowances (as in *_allowances_under_policy), passing the tier period's window.
CREATE FUNCTION ledger_grant_allowances(
  p_user text, p_guild text,
  p_free_key text, p_free_amount int, p_free_expires_at timestamptz, p_free_reason text,
  p_tier_period_key text, p_tier_name text, p_tier_allowance int, p_tier_expires_at timestamptz,
  p_tier_period_start timestamptz, p_tier_period_end timestamptz,
  p_policy jsonb
) RETURNS TABLE (
  free_outcome text, free_lot_id bigint, free_amount int, free_expires_at timestamptz,
  tier_outcome text, tier_lot_id bigint, tier_amount int, tier_expires_at timestamptz,
  held bigint, buckets jsonb
)
LANGUAGE plpgsql AS $$
DECLARE
  v_free_ceiling int;
  v_card_allowance int;
  v_admin_tiers text[];
  v_owner_ids text[];
  v_free int;
BEGIN
  -- A missing or partial policy is a programming error, never "no limit" (least() ignores NULLs).
  IF p_policy IS NULL OR jsonb_typeof(p_policy->'free_daily_ceiling') IS DISTINCT FROM 'number'
     OR jsonb_typeof(p_policy->'owner_ids') IS DISTINCT FROM 'array'
     OR jsonb_typeof(p_policy->'tier_allowances') IS DISTINCT FROM 'object'
     OR jsonb_typeof(p_policy->'default_tier') IS DISTINCT FROM 'string'
     OR coalesce(jsonb_typeof(p_policy->'admin_tiers'), 'missing') NOT IN ('array', 'null') THEN
    RAISE EXCEPTION 'ledger_grant_allowances: incomplete server admin policy %', p_policy;
  END IF;
  v_free_ceiling := (p_policy->>'free_daily_ceiling')::int;
  v_owner_ids := ARRAY(SELECT jsonb_array_elements_text(p_policy->'owner_ids'));
  v_admin_tiers := CASE WHEN jsonb_typeof(p_policy->'admin_tiers') = 'array'
                        THEN ARRAY(SELECT jsonb_array_elements_text(p_policy->'admin_tiers')) END;

  IF p_free_key IS NOT NULL THEN
    v_free := least(p_free_amount, v_free_ceiling);
    IF v_free > 0 THEN
      SELECT g.outcome, g.lot_id, g.amount, g.expires_at INTO free_outcome, free_lot_id, free_amount, free_expires_at
        FROM ledger_grant(p_free_key, p_user, p_guild, 'free', v_free, p_free_expires_at, NULL, NULL, 'system', p_free_reason) g;
    END IF;
  END IF;

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
                                         p_tier_period_start, p_tier_period_end) g;
    END IF;
  END IF;
  SELECT b.held, b.buckets INTO held, buckets FROM ledger_balance(p_user, p_guild) b;
  RETURN NEXT;
END $$;

