import type { MemberSettings, SettingsChange } from '../../domain/settings/member-settings.js';

export type { MemberSettings, SettingsChange };

/** Each member's /settings per guild. */
export interface MemberSettingsStore {
  /** The member's settings; every default when they never set any. */
  get(userId: string, guildId: string): Promise<MemberSettings>;
  /** Applies the fields given (others keep their value) and returns the result. */
  update(userId: string, guildId: string, change: SettingsChange): Promise<MemberSettings>;
  /** Back to every default. */
  reset(userId: string, guildId: string): Promise<void>;
}
