-- Speed lanes (Relax / Fast / Turbo): a member's default lane, chosen in /settings. NULL = Fast
-- where their tier offers it (src/domain/lanes/lanes.ts decides; a lane their tier no longer
-- offers falls back quietly).
ALTER TABLE "member_settings" ADD COLUMN "default_lane" TEXT;
ALTER TABLE "member_settings" ADD CONSTRAINT "member_settings_default_lane_check"
  CHECK ("default_lane" IS NULL OR "default_lane" IN ('relax', 'fast', 'turbo'));
