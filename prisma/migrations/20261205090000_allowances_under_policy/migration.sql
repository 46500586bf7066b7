-- Only the operator creates value from nothing (issue 12): the operator's policy for server
-- admins is enforced here, where allowances are created, not only in the code that decides them.
-- The caller passes the policy the operator configured (OWNER_IDS, GUILD_ADMIN_TIERS,
-- GUILD_FREE_DAILY_MAX and the card's tiers), fixed when the process starts, as jsonb:
--   { "owner_ids": [..], "admin_tiers": [..] | null (null = every tier), "free_daily_ceiling": n,
--     "default_tier": "none", "tier_allowances": { "<tier>": n, .. } }
-- and the function checks each grant against it and against the guild's own role mappings:
--   * free daily credits are lowered to the ceiling;
--   * a tier allowance is given only for a tier the card has, at most the card's allowance, and
--     (unless it is the default tier) only when this guild maps a role to that tier and the
--     mapping was made by an owner or names a tier server admins may give.
-- A refused tier grant answers 'refused' and creates nothing; the free grant still happens.
DROP FUNCTION ledger_grant_allowances(text, text, text, int, timestamptz, text, text, text, int, timestamptz);

CREATE FUNCTION ledger_grant_allowances(
  p_user text, p_guild text,
  p_free_key text, p_free_amount int, p_free_expires_at timestamptz, p_free_reason text,
  p_tier_period_key text, p_tier_name text, p_tier_allowance int, p_tier_expires_at timestamptz,
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
                                         least(p_tier_allowance, v_card_allowance), p_tier_expires_at) g;
    END IF;
  END IF;
  SELECT b.held, b.buckets INTO held, buckets FROM ledger_balance(p_user, p_guild) b;
  RETURN NEXT;
END $$;
