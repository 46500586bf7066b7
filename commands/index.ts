import { admin } from './admin.js';
import { balance } from './balance.js';
import { batch } from './batch.js';
import { edit } from './edit.js';
import { estimate } from './estimate.js';
import { history } from './history.js';
import { imagine } from './imagine.js';
import { pricing } from './pricing.js';
import { settings } from './settings.js';
import { show } from './show.js';
import { subscribe } from './subscribe.js';
import { topup } from './topup.js';
import { usage } from './usage.js';

/** Every slash command the bot registers: the one list the router and deployment both use. */
export const commands = [imagine, balance, topup, subscribe, show, settings, batch, history, usage, pricing, estimate, admin, edit] as const;
export type CommandName = (typeof commands)[number]['name'];
