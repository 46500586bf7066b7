-- Stripe subscriptions (issue 15): which Stripe customer is which member. The bot creates one
-- customer per member at their first card subscription and reuses it for every later one, so the
-- billing portal (where a member cancels) shows all of that member's plans. Written only by the
-- bot's own checkout path and by signed subscription events; never by an admin path.
CREATE TABLE "stripe_customer" (
    "user_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stripe_customer_pkey" PRIMARY KEY ("user_id")
);

-- One member per customer: a customer that pays for one member's plan never reaches another's portal.
CREATE UNIQUE INDEX "stripe_customer_customer_id_key" ON "stripe_customer"("customer_id");
