// Turns what someone typed into the page's command form into the options of an interaction, as
// Discord's client would: checked against the command's registered schema (required options,
// choices, lengths, ranges, known roles and members), so bad input is refused with a message
// naming the option and nothing reaches the bot.
import { ApplicationCommandOptionType } from 'discord.js';
import type { Json } from './local-discord/fake-discord.js';

/** Option types as registered (discord.js re-exports Discord's own enum). */
const OPTION = ApplicationCommandOptionType;

interface OptionSchema {
  readonly type: number;
  readonly name: string;
  readonly required?: boolean;
  readonly choices?: readonly { name: string; value: string | number }[];
  readonly min_length?: number;
  readonly max_length?: number;
  readonly min_value?: number;
  readonly max_value?: number;
  readonly autocomplete?: boolean;
  readonly options?: readonly OptionSchema[];
}

export interface KnownTargets {
  readonly userIds: readonly string[];
  readonly roleIds: readonly string[];
  readonly channelIds: readonly string[];
  /** Files uploaded for this command (attachment options name one by id). */
  readonly attachmentIds?: readonly string[];
}

export interface BuiltOptions {
  /** Wire-format options, nested under the subcommand (group) when there is one. */
  readonly options: Json[];
  readonly roleIds: string[];
  readonly userIds: string[];
  readonly channelIds: string[];
}

export type Built = { readonly ok: true; readonly value: BuiltOptions } | { readonly ok: false; readonly error: string };

export interface CommandInput {
  /** Subcommand group and subcommand names, in order (empty for a command without them). */
  readonly path: readonly string[];
  /** Each option's typed text (or true/false for a boolean), by name; empty text counts as not given. */
  readonly values: Readonly<Record<string, unknown>>;
  /** For autocomplete: the option being typed, sent even when empty and marked `focused`. */
  readonly focused?: string;
}

const fail = (error: string): Built => ({ ok: false, error });

/** The leaf options of `command` at `path`, or a message saying what is wrong with the path. */
export function optionsAt(command: Json, path: readonly string[]): { ok: true; options: readonly OptionSchema[] } | { ok: false; error: string } {
  let options = (command['options'] as readonly OptionSchema[] | undefined) ?? [];
  const nests = options.some((option) => option.type === OPTION.Subcommand || option.type === OPTION.SubcommandGroup);
  if (!nests) return path.length === 0 ? { ok: true, options } : { ok: false, error: `/${String(command['name'])} has no subcommands` };
  for (const [depth, name] of path.entries()) {
    const next = options.find((option) => option.name === name && (option.type === OPTION.Subcommand || option.type === OPTION.SubcommandGroup));
    if (!next) return { ok: false, error: `/${[command['name'], ...path.slice(0, depth + 1)].join(' ')} is not a command` };
    options = next.options ?? [];
    if (next.type === OPTION.Subcommand) {
      return depth === path.length - 1 ? { ok: true, options } : { ok: false, error: `/${[command['name'], ...path].join(' ')} is not a command` };
    }
  }
  return { ok: false, error: `choose a subcommand of /${[command['name'], ...path].join(' ')}` };
}

export function buildCommandOptions(command: Json, input: CommandInput, known: KnownTargets): Built {
  const leaf = optionsAt(command, input.path);
  if (!leaf.ok) return fail(leaf.error);
  const unknown = Object.keys(input.values).filter((name) => !leaf.options.some((option) => option.name === name));
  if (unknown.length > 0) return fail(`/${String(command['name'])} has no option ${unknown.map((name) => `"${name}"`).join(', ')}`);
  const built: BuiltOptions = { options: [], roleIds: [], userIds: [], channelIds: [] };
  for (const option of leaf.options) {
    const raw = input.values[option.name];
    const focused = input.focused === option.name;
    const text = typeof raw === 'boolean' ? String(raw) : typeof raw === 'string' ? raw.trim() : raw === undefined || raw === null ? '' : String(raw as number);
    if (text === '' && !focused) {
      if (option.required && input.focused === undefined) return fail(`"${option.name}" is required`);
      continue;
    }
    if (focused) {
      // Discord sends the focused option as typed so far, as a string, unchecked.
      built.options.push({ type: option.type, name: option.name, value: text, focused: true });
      continue;
    }
    const value = parseValue(option, text, known);
    if (typeof value === 'object') return fail(value.error);
    if (option.type === OPTION.Role) built.roleIds.push(String(value));
    if (option.type === OPTION.User) built.userIds.push(String(value));
    if (option.type === OPTION.Channel) built.channelIds.push(String(value));
    built.options.push({ type: option.type, name: option.name, value });
  }
  return { ok: true, value: { ...built, options: nest(command, input.path, built.options) } };
}

function nest(command: Json, path: readonly string[], leafOptions: Json[]): Json[] {
  const top = (command['options'] as readonly OptionSchema[] | undefined) ?? [];
  if (path.length === 0) return leafOptions;
  if (path.length === 1) return [{ type: OPTION.Subcommand, name: path[0], options: leafOptions }];
  const group = top.find((option) => option.name === path[0]);
  return [{ type: group?.type ?? OPTION.SubcommandGroup, name: path[0], options: [{ type: OPTION.Subcommand, name: path[1], options: leafOptions }] }];
}

function parseValue(option: OptionSchema, text: string, known: KnownTargets): string | number | boolean | { error: string } {
  const name = `"${option.name}"`;
  switch (option.type) {
    case OPTION.String: {
      if (option.min_length !== undefined && text.length < option.min_length) return { error: `${name} needs at least ${option.min_length} characters` };
      if (option.max_length !== undefined && text.length > option.max_length) return { error: `${name} takes at most ${option.max_length} characters` };
      return checkChoice(option, text);
    }
    case OPTION.Integer:
    case OPTION.Number: {
      const number = Number(text);
      const whole = option.type === OPTION.Integer;
      if (!Number.isFinite(number) || (whole && !Number.isInteger(number))) return { error: `${name} must be ${whole ? 'a whole number' : 'a number'}` };
      if (option.min_value !== undefined && number < option.min_value) return { error: `${name} must be at least ${option.min_value}` };
      if (option.max_value !== undefined && number > option.max_value) return { error: `${name} must be at most ${option.max_value}` };
      return checkChoice(option, number);
    }
    case OPTION.Boolean:
      if (text !== 'true' && text !== 'false') return { error: `${name} must be true or false` };
      return text === 'true';
    case OPTION.User:
      return known.userIds.includes(text) ? text : { error: `${name}: pick someone in this server` };
    case OPTION.Role:
      return known.roleIds.includes(text) ? text : { error: `${name}: pick a role of this server` };
    case OPTION.Channel:
      return known.channelIds.includes(text) ? text : { error: `${name}: pick a channel of this server` };
    case OPTION.Mentionable:
      return known.userIds.includes(text) || known.roleIds.includes(text) ? text : { error: `${name}: pick someone or a role of this server` };
    case OPTION.Attachment:
      return known.attachmentIds?.includes(text) ? text : { error: `${name}: choose a file to upload` };
    default:
      return { error: `${name}: the playground cannot send this kind of option; leave it empty` };
  }
}

function checkChoice<T extends string | number>(option: OptionSchema, value: T): T | { error: string } {
  if (!option.choices || option.choices.length === 0) return value;
  return option.choices.some((choice) => choice.value === value)
    ? value
    : { error: `"${option.name}" must be one of: ${option.choices.map((choice) => choice.name).join(', ')}` };
}
