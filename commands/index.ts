import { admin } from './admin.js';
import { balance } from './balance.js';
import { imagine } from './imagine.js';
import { topup } from './topup.js';

/** Every slash command the bot registers: the one list the router and deployment both use. */
export const commands = [imagine, balance, topup, admin] as const;
export type CommandName = (typeof commands)[number]['name'];
