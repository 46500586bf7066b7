-- Keeping "queued, position N" on a job message current as the queue moves
-- (src/discord/queue-place-refresher.ts). `queue_place_shown` is the place the message shows, so
-- only messages whose place changed are edited. `queue_place_editing_until` is set while the bot
-- edits a queued job's message: a worker that claims the job meanwhile waits for it (at most
-- until then) before its own first edit, so a late "queued" edit never lands over "Generating…".
ALTER TABLE "generation_job" ADD COLUMN "queue_place_shown" INTEGER,
                             ADD COLUMN "queue_place_editing_until" TIMESTAMPTZ(3);
