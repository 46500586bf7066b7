// Readers for what the bot sent Discord (an interaction callback's `data`, a message payload).

type Payload = { readonly content?: unknown; readonly embeds?: unknown; readonly components?: unknown };
type ActionRows = { components: { custom_id?: string; label?: string }[] }[];

/** The embeds as one JSON string, for `toContain` checks on what a member reads. */
export const embedText = (data: unknown): string => JSON.stringify((data as Payload).embeds ?? []);

export const contentOf = (data: unknown): string => String((data as Payload).content ?? '');

/** Every button's custom id, row by row. */
export const buttonIds = (data: unknown): string[] =>
  (((data as Payload).components ?? []) as ActionRows).flatMap((row) => row.components.map((c) => c.custom_id ?? ''));

export const buttonLabels = (data: unknown): string[] =>
  (((data as Payload).components ?? []) as ActionRows).flatMap((row) => row.components.map((c) => c.label ?? ''));
