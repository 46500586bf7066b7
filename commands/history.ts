import { ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** `/history`: the member's ledger in this server (plus their top-ups), newest first, paged. */
export const history = {
  type: ApplicationCommandType.ChatInput,
  name: 'history',
  description: 'Your credit history: grants, jobs, refunds, expiries — newest first',
  dm_permission: false,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
