import { balance } from './balance.js';
import { estimate } from './estimate.js';
import { history } from './history.js';
import { imagine } from './imagine.js';
import { pricing } from './pricing.js';
import { topup } from './topup.js';
import { usage } from './usage.js';

/** Every slash command the bot registers: the one list the router and deployment both use. */
export const commands = [imagine, balance, topup, history, usage, pricing, estimate] as const;
export type CommandName = (typeof commands)[number]['name'];
