// Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits):
// a message holds at most 10 embeds and 6000 characters across them; an embed at most 25 fields,
// a 256-character title and field name, a 4096-character description, 1024-character field values.
// Long content is split across embeds and messages, never cut silently: a cut says so.
import type { APIEmbed, APIEmbedField } from 'discord.js';

export const EMBED_LIMITS = {
  embedsPerMessage: 10,
  charsPerMessage: 6000,
  fields: 25,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
} as const;

export interface EmbedSection {
  readonly title: string;
  readonly description?: string;
  readonly fields?: readonly APIEmbedField[];
  readonly color?: number;
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Characters Discord counts towards a message's 6000. */
export const embedChars = (embed: APIEmbed): number =>
  (embed.title?.length ?? 0) +
  (embed.description?.length ?? 0) +
  (embed.footer?.text.length ?? 0) +
  (embed.author?.name.length ?? 0) +
  (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);

/** One section as embeds within the per-embed limits: fields 25 at a time, continued under "(cont.)". */
function sectionEmbeds(section: EmbedSection): APIEmbed[] {
  const fields = (section.fields ?? []).map((field) => ({
    ...field,
    name: clip(field.name, EMBED_LIMITS.fieldName),
    value: clip(field.value, EMBED_LIMITS.fieldValue),
  }));
  const embeds: APIEmbed[] = [];
  // A chunk of fields also has to fit in one message's character budget beside the title.
  let chunk: APIEmbedField[] = [];
  let chars = 0;
  const flush = () => {
    const first = embeds.length === 0;
    embeds.push({
      title: clip(first ? section.title : `${section.title} (cont.)`, EMBED_LIMITS.title),
      ...(first && section.description ? { description: clip(section.description, EMBED_LIMITS.description) } : {}),
      ...(chunk.length ? { fields: chunk } : {}),
      ...(section.color !== undefined ? { color: section.color } : {}),
    });
    chunk = [];
    chars = 0;
  };
  // Fields of one embed share a message's 6000 characters with its title and description.
  const description = clip(section.description ?? '', EMBED_LIMITS.description);
  const budget = EMBED_LIMITS.charsPerMessage - EMBED_LIMITS.title - description.length;
  for (const field of fields) {
    const size = field.name.length + field.value.length;
    if (chunk.length === EMBED_LIMITS.fields || (chunk.length > 0 && chars + size > budget)) flush();
    chunk.push(field);
    chars += size;
  }
  if (chunk.length > 0 || embeds.length === 0) flush();
  return embeds;
}

/**
 * Packs sections into messages that each fit Discord's limits, in order. Past `maxMessages`, the
 * rest is left out and the last message ends with a note saying so.
 */
export function packEmbeds(sections: readonly EmbedSection[], truncatedNote: string, maxMessages = 3): APIEmbed[][] {
  const messages: APIEmbed[][] = [[]];
  let chars = 0;
  let truncated = false;
  for (const embed of sections.flatMap(sectionEmbeds)) {
    const size = embedChars(embed);
    const current = messages.at(-1)!;
    if (current.length === EMBED_LIMITS.embedsPerMessage || (current.length > 0 && chars + size > EMBED_LIMITS.charsPerMessage)) {
      if (messages.length === maxMessages) {
        truncated = true;
        break;
      }
      messages.push([]);
      chars = 0;
    }
    messages.at(-1)!.push(embed);
    chars += size;
  }
  if (truncated) {
    const last = messages.at(-1)!;
    const note: APIEmbed = { description: truncatedNote };
    // Make room for the note: drop trailing embeds until it fits.
    while (
      last.length > 0 &&
      (last.length === EMBED_LIMITS.embedsPerMessage || last.reduce((sum, e) => sum + embedChars(e), 0) + embedChars(note) > EMBED_LIMITS.charsPerMessage)
    )
      last.pop();
    last.push(note);
  }
  return messages;
}
