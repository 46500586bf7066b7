// Which Stripe customer is which member (table stripe_customer, *_stripe_customers): one per
// member, made at their first card subscription and reused, so one billing portal shows them all.
import type pg from 'pg';
import type { StripeCustomers } from '../use-cases/ports/plan-billing.js';
import { query } from './sql.js';

export function createPgStripeCustomers(pool: pg.Pool): StripeCustomers {
  return {
    async find(userId) {
      const [row] = await query<{ customer_id: string }>(pool, 'SELECT customer_id FROM stripe_customer WHERE user_id = $1', [userId]);
      return row?.customer_id ?? null;
    },
    async remember(userId, customerId) {
      // Two first clicks at once may both make a customer: the first stored wins and both use it.
      const [row] = await query<{ customer_id: string }>(
        pool,
        `WITH inserted AS (
           INSERT INTO stripe_customer (user_id, customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING customer_id
         )
         SELECT customer_id FROM inserted UNION ALL SELECT customer_id FROM stripe_customer WHERE user_id = $1 LIMIT 1`,
        [userId, customerId],
      );
      if (row) return row.customer_id;
      // A concurrent insert committed after this statement's snapshot: read it now.
      const [stored] = await query<{ customer_id: string }>(pool, 'SELECT customer_id FROM stripe_customer WHERE user_id = $1', [userId]);
      if (!stored) throw new Error(`Stripe customer ${customerId} belongs to another member than ${userId}`);
      return stored.customer_id;
    },
  };
}
