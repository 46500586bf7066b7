import { admin } from './admin.js';
import { balance } from './balance.js';
import { batch } from './batch.js';
import { imagine } from './imagine.js';
import { settings } from './settings.js';
import { topup } from './topup.js';

/** Every slash command the bot registers: the one list the router and deployment both use. */
export const commands = [imagine, balance, topup, settings, batch, admin] as const;
export type CommandName = (typeof commands)[number]['name'];
