// What the page can do, as the person it is playing: send a slash command (checked against the
// command's registered schema first), ask for autocomplete choices, click a button, choose in a
// select menu, submit a modal, and — as the owner — simulate a purchase. Each becomes the same
// interaction or event Discord would send the bot. Bad input is refused with a message and
// dispatches nothing.
import sharp from 'sharp';
import type { Pack, PriceCard } from '../domain/pricing/price-card-schema.js';
import { planForSku } from '../domain/subscriptions/plans.js';
import { buildCommandOptions } from './command-options.js';
import type { ChannelFeed } from './channel-feed.js';
import type { FakeDiscord, FakeGuild, InteractionHandle, Json } from './local-discord/fake-discord.js';
import { resolvedOptions } from './local-discord/resolved-options.js';
import { ADMINISTRATOR, PERSONAS, personaPermissions, type Persona } from './playground-world.js';
import type { PurchaseMethod, SimulatedPurchases } from './simulated-purchases.js';

/** How long a simulated plan's first paid period lasts (Discord sets it from the SKU's billing period). */
const intervalMs = { week: 7 * 86_400_000, month: 30 * 86_400_000, year: 365 * 86_400_000 } as const;

export class PlaygroundInputError extends Error {
  override readonly name = 'PlaygroundInputError';
}

/** What the page learns back from an interaction: the bot acknowledged it, or opened a modal. */
export interface InteractionResult {
  readonly acknowledged: boolean;
  readonly modal?: Json;
}

export interface PlaygroundApiOptions {
  readonly discord: FakeDiscord;
  readonly guild: FakeGuild;
  readonly channelId: string;
  readonly feed: ChannelFeed;
  readonly card: PriceCard;
  readonly purchases: SimulatedPurchases;
}

/** How long the page waits for the bot to acknowledge (Discord gives it 3 s, then "did not respond"). */
const ACK_WAIT_MS = 3_500;

export class PlaygroundApi {
  constructor(private readonly options: PlaygroundApiOptions) {}

  /** The commands the bot registered that `persona` may use (Discord hides the others from them). */
  commandsFor(persona: Persona): Json[] {
    const { discord, guild } = this.options;
    const permissions = BigInt(this.actor(persona).permissions);
    const administrator = (permissions & ADMINISTRATOR) !== 0n;
    return [...discord.commands(), ...discord.commands(guild.id)].filter((command) => {
      const required = command['default_member_permissions'];
      if (typeof required !== 'string' || administrator) return true;
      // "0": Discord shows the command to administrators only.
      return required !== '0' && (BigInt(required) & permissions) === BigInt(required);
    });
  }

  async command(persona: Persona, input: { name: unknown; path: unknown; values: unknown }): Promise<InteractionResult> {
    // Files are checked with the other options first (under a placeholder id) and uploaded only
    // when everything is valid, so a refused command leaves nothing behind.
    const { values, uploads } = splitUploads(input.values);
    const placeholders = Object.fromEntries([...uploads.keys()].map((name) => [name, `upload:${name}`]));
    this.build(persona, { ...input, values: { ...values, ...placeholders } }, undefined, Object.values(placeholders));
    const attachments = await Promise.all(
      [...uploads].map(async ([name, file]) => [name, this.options.discord.uploadAttachment({ field: name, ...file }, await imageSize(file.data))] as const),
    );
    const withIds = { ...values, ...Object.fromEntries(attachments.map(([name, attachment]) => [name, String(attachment['id'])])) };
    const { command, built, path } = this.build(
      persona,
      { ...input, values: withIds },
      undefined,
      attachments.map(([, attachment]) => String(attachment['id'])),
    );
    const resolved = this.resolved(built);
    if (attachments.length > 0) {
      const files = Object.fromEntries(attachments.map(([, attachment]) => [String(attachment['id']), attachment]));
      resolved.resolved = { ...(resolved.resolved ?? {}), attachments: files };
    }
    const handle = this.options.discord.slashCommand({
      ...this.actor(persona),
      name: String(command['name']),
      options: built.options,
      ...resolved,
    });
    this.options.feed.track(handle, persona, `/${[String(command['name']), ...path].join(' ')}`);
    return this.result(handle);
  }

  /** The choices the bot offers for the option being typed. */
  async autocomplete(persona: Persona, input: { name: unknown; path: unknown; values: unknown; focused: unknown }): Promise<Json[]> {
    if (typeof input.focused !== 'string') throw new PlaygroundInputError('say which option is being typed');
    const { command, built } = this.build(persona, input, input.focused);
    const handle = this.options.discord.autocomplete({ ...this.actor(persona), name: String(command['name']), options: built.options });
    const callback = await handle.response(ACK_WAIT_MS).catch(() => undefined);
    return (callback?.data?.['choices'] as Json[] | undefined) ?? [];
  }

  async button(persona: Persona, input: { messageId: unknown; customId: unknown }): Promise<InteractionResult> {
    const message = this.messageWithComponent(input.messageId, input.customId, 2);
    const label = String(findComponent(message, String(input.customId))?.['label'] ?? 'a button');
    const handle = this.options.discord.buttonClick({ ...this.actor(persona), customId: String(input.customId), messageId: String(message['id']) });
    this.options.feed.track(handle, persona, `pressed ${label}`);
    return this.result(handle);
  }

  async select(persona: Persona, input: { messageId: unknown; customId: unknown; values: unknown }): Promise<InteractionResult> {
    const message = this.messageWithComponent(input.messageId, input.customId, 3);
    const menu = findComponent(message, String(input.customId))!;
    const offered = ((menu['options'] as Json[] | undefined) ?? []).map((option) => String(option['value']));
    const values = Array.isArray(input.values) ? input.values.map(String) : [];
    const min = Number(menu['min_values'] ?? 1);
    const max = Number(menu['max_values'] ?? 1);
    if (values.length < min || values.length > max) throw new PlaygroundInputError(min === max ? `choose ${min}` : `choose between ${min} and ${max}`);
    if (values.some((value) => !offered.includes(value))) throw new PlaygroundInputError('choose among the options offered');
    const handle = this.options.discord.selectMenu({ ...this.actor(persona), customId: String(input.customId), messageId: String(message['id']), values });
    this.options.feed.track(handle, persona, 'chose in a menu');
    return this.result(handle);
  }

  async modal(persona: Persona, input: { customId: unknown; fields: unknown; messageId?: unknown }): Promise<InteractionResult> {
    if (typeof input.customId !== 'string' || input.customId === '') throw new PlaygroundInputError('which form is this?');
    const raw = (typeof input.fields === 'object' && input.fields !== null ? input.fields : {}) as Record<string, unknown>;
    const fields = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, String(value)]));
    const messageId = typeof input.messageId === 'string' && this.options.discord.message(input.messageId) ? input.messageId : undefined;
    const handle = this.options.discord.modalSubmit({ ...this.actor(persona), customId: input.customId, fields, ...(messageId ? { messageId } : {}) });
    this.options.feed.track(handle, persona, 'sent a form');
    return this.result(handle);
  }

  async purchase(persona: Persona, input: { method: unknown; packId: unknown; buyer: unknown; again?: unknown }): Promise<string> {
    if (!persona.owner) throw new PlaygroundInputError('only the server owner can simulate purchases here');
    if (input.again === true) return (await this.options.purchases.resend()).note;
    const method = input.method;
    if (method !== 'discord' && method !== 'card') throw new PlaygroundInputError('pay in the Discord store or by card');
    const pack: Pack | undefined = this.options.card.packs.find((candidate) => candidate.id === input.packId);
    if (!pack) throw new PlaygroundInputError(`no pack "${String(input.packId)}" on the price card`);
    const buyer = PERSONAS.find((candidate) => candidate.key === input.buyer);
    if (!buyer) throw new PlaygroundInputError('choose who buys');
    return (await this.options.purchases.buy(method as PurchaseMethod, pack, buyer.userId)).note;
  }

  /**
   * A premium button (Discord's "buy this SKU") pressed by `persona`: they buy the pack, or
   * subscribe to the plan, for themselves — a plan through the local Discord's subscriptions, as
   * Discord's store would (SUBSCRIPTION_CREATE and ENTITLEMENT_CREATE, a week's period from now).
   */
  async buySku(persona: Persona, input: { skuId: unknown }): Promise<string> {
    const plan = typeof input.skuId === 'string' ? planForSku(this.options.card, input.skuId) : undefined;
    if (plan) {
      const { subscription } = this.options.discord.subscriptions.subscribe({
        userId: persona.userId,
        skuId: plan.plan.discordSkuId!,
        periodMs: intervalMs[plan.plan.interval],
      });
      return `Discord: ${persona.username} subscribed to ${plan.tier.label} (${plan.plan.interval}ly), subscription ${String(subscription['id'])} sent to the bot`;
    }
    const pack = this.options.card.packs.find((candidate) => candidate.discordSkuId !== undefined && candidate.discordSkuId === input.skuId);
    if (!pack) throw new PlaygroundInputError('that item is not for sale here');
    return (await this.options.purchases.buy('discord', pack, persona.userId)).note;
  }

  actor(persona: Persona) {
    const everyone = this.options.guild.roles.find((role) => role.id === this.options.guild.id)!;
    return {
      guildId: this.options.guild.id,
      channelId: this.options.channelId,
      user: { id: persona.userId, username: persona.username },
      roles: persona.roleIds,
      permissions: personaPermissions(persona, everyone.permissions.toString()),
    };
  }

  private build(persona: Persona, input: { name: unknown; path: unknown; values: unknown }, focused?: string, attachmentIds: readonly string[] = []) {
    const command = this.commandsFor(persona).find((candidate) => candidate['name'] === input.name);
    if (!command) throw new PlaygroundInputError(`there is no command /${String(input.name)} for you here`);
    const path = Array.isArray(input.path) ? input.path.map(String) : [];
    const values = (typeof input.values === 'object' && input.values !== null ? input.values : {}) as Record<string, unknown>;
    const built = buildCommandOptions(
      command,
      { path, values, ...(focused ? { focused } : {}) },
      {
        userIds: PERSONAS.map((candidate) => candidate.userId),
        roleIds: this.options.guild.roles.filter((role) => role.id !== this.options.guild.id).map((role) => role.id),
        channelIds: this.options.guild.channels.map((channel) => channel.id),
        attachmentIds,
      },
    );
    if (!built.ok) throw new PlaygroundInputError(built.error);
    return { command, built: built.value, path };
  }

  private resolved(built: { roleIds: string[]; userIds: string[] }): { resolved?: Json } {
    if (built.roleIds.length === 0 && built.userIds.length === 0) return {};
    const roles = this.options.guild.roles.filter((role) => built.roleIds.includes(role.id));
    const users = PERSONAS.filter((persona) => built.userIds.includes(persona.userId)).map((persona) => ({ id: persona.userId, username: persona.username }));
    return { resolved: resolvedOptions({ roles, users }) };
  }

  private messageWithComponent(messageId: unknown, customId: unknown, type: number): Json {
    const message = typeof messageId === 'string' ? this.options.discord.message(messageId) : undefined;
    if (!message) throw new PlaygroundInputError('that message is gone');
    const component = typeof customId === 'string' ? findComponent(message, customId) : undefined;
    if (!component || component['type'] !== type) throw new PlaygroundInputError('that message has no such control');
    if (component['disabled'] === true) throw new PlaygroundInputError('that control is disabled');
    return message;
  }

  private async result(handle: InteractionHandle): Promise<InteractionResult> {
    const callback = await handle.response(ACK_WAIT_MS).catch(() => undefined);
    if (!callback) return { acknowledged: false };
    return callback.type === 9 && callback.data ? { acknowledged: true, modal: callback.data } : { acknowledged: true };
  }
}

/** Discord's upload limit without boosts; the images the bot starts from are far smaller. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Discord gives an image attachment its width and height (the bot checks them); other files have none. */
async function imageSize(data: Buffer): Promise<Json> {
  try {
    const { width, height } = await sharp(data).metadata();
    return width && height ? { width, height } : {};
  } catch {
    return {};
  }
}

/** The page sends a file option as `{ name, contentType, dataBase64 }`; everything else is text. What the file may be is the bot's to say. */
function splitUploads(raw: unknown): { values: Record<string, unknown>; uploads: Map<string, { name: string; contentType: string; data: Buffer }> } {
  const values: Record<string, unknown> = {};
  const uploads = new Map<string, { name: string; contentType: string; data: Buffer }>();
  for (const [name, value] of Object.entries(typeof raw === 'object' && raw !== null ? raw : {})) {
    if (typeof value !== 'object' || value === null) {
      values[name] = value;
      continue;
    }
    const file = value as Record<string, unknown>;
    if (typeof file['dataBase64'] !== 'string' || typeof file['name'] !== 'string' || typeof file['contentType'] !== 'string') {
      throw new PlaygroundInputError(`"${name}": send a file as its name, type and contents`);
    }
    const data = Buffer.from(file['dataBase64'], 'base64');
    if (data.length === 0) throw new PlaygroundInputError(`"${name}": the file is empty`);
    if (data.length > MAX_UPLOAD_BYTES) throw new PlaygroundInputError(`"${name}": files up to 10 MiB, as on Discord`);
    uploads.set(name, { name: file['name'].slice(0, 100) || 'upload', contentType: file['contentType'], data });
  }
  return { values, uploads };
}

function findComponent(message: Json, customId: string): Json | undefined {
  for (const row of (message['components'] as Json[] | undefined) ?? []) {
    for (const component of (row['components'] as Json[] | undefined) ?? []) if (component['custom_id'] === customId) return component;
  }
  return undefined;
}
