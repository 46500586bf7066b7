-- A member's balance, and the allowances they are due granted before it, in ONE round trip
-- (style: *_ledger_functions).
--
-- Every /imagine and /balance first grants what the member is due (today's free credits, their
-- tier's allowance for its period) and then shows the balance after it. As three statements that
-- was three round trips, and under a burst of interactions the bot's one JavaScript thread spent
-- a fifth of its time writing queries to PostgreSQL's socket (CPU profile, bench/interaction-bench.ts).

-- The balance: spendable credits per lot kind (with the soonest expiry) and what running jobs
-- hold. One statement, one snapshot. `buckets` is a JSON array of {kind, available, next_expiry}
-- for the kinds with credits.
CREATE FUNCTION ledger_balance(p_user text, p_guild text, p_now timestamptz)
RETURNS TABLE (held bigint, buckets jsonb)
LANGUAGE sql STABLE AS $$
  SELECT
    (SELECT coalesce(sum(h.amount), 0) FROM credit_hold h
      WHERE h.user_id = p_user AND h.guild_id = p_guild AND h.status = 'held')::bigint,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', b.kind, 'available', b.available, 'next_expiry', b.next_expiry)), '[]'::jsonb)
       FROM (SELECT l.kind, sum(l.remaining) AS available, min(l.expires_at) AS next_expiry FROM credit_lot l
              WHERE l.user_id = p_user AND (l.guild_id = p_guild OR l.guild_id IS NULL)
                AND l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > p_now)
              GROUP BY l.kind) b)
$$;

-- Grants the free daily credits (p_free_key NULL: none due) and the tier allowance
-- (p_tier_period_key NULL: none) through ledger_grant and ledger_grant_tier_allowance — the same
-- once-per-key and upgrade-difference rules — then returns both outcomes and the balance after
-- them. One transaction: a failure grants neither.
CREATE FUNCTION ledger_grant_allowances(
  p_user text, p_guild text, p_now timestamptz,
  p_free_key text, p_free_amount int, p_free_expires_at timestamptz, p_free_reason text,
  p_tier_period_key text, p_tier_name text, p_tier_allowance int, p_tier_expires_at timestamptz
) RETURNS TABLE (
  free_outcome text, free_lot_id bigint, free_amount int, free_expires_at timestamptz,
  tier_outcome text, tier_lot_id bigint, tier_amount int, tier_expires_at timestamptz,
  held bigint, buckets jsonb
)
LANGUAGE plpgsql AS $$
BEGIN
  IF p_free_key IS NOT NULL THEN
    SELECT g.outcome, g.lot_id, g.amount, g.expires_at INTO free_outcome, free_lot_id, free_amount, free_expires_at
      FROM ledger_grant(p_free_key, p_user, p_guild, 'free', p_free_amount, p_free_expires_at, NULL, NULL, 'system', p_free_reason) g;
  END IF;
  IF p_tier_period_key IS NOT NULL THEN
    SELECT g.outcome, g.lot_id, g.amount, g.expires_at INTO tier_outcome, tier_lot_id, tier_amount, tier_expires_at
      FROM ledger_grant_tier_allowance(p_user, p_guild, p_tier_period_key, p_tier_name, p_tier_allowance, p_tier_expires_at) g;
  END IF;
  SELECT b.held, b.buckets INTO held, buckets FROM ledger_balance(p_user, p_guild, p_now) b;
  RETURN NEXT;
END $$;
