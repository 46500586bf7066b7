import type * as z from 'zod';

type Segment = PropertyKey;
type Def = { type: string; shape?: Record<string, unknown>; element?: unknown; valueType?: unknown; innerType?: unknown };

const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/** The keys a strict object at `path` accepts, found by walking the schema (for "did you mean"). */
export function knownKeysAt(schema: z.ZodType, path: readonly Segment[]): string[] {
  let def = defOf(schema);
  const remaining = [...path];
  while (def) {
    if (def.innerType !== undefined) {
      def = defOf(def.innerType);
    } else if (remaining.length === 0) {
      return def.shape ? Object.keys(def.shape) : [];
    } else {
      const segment = remaining.shift();
      if (def.shape) def = defOf(def.shape[String(segment)]);
      else def = defOf(def.element ?? def.valueType);
    }
  }
  return [];
}

const childOf = (value: unknown, segment: Segment): unknown =>
  value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[segment] : undefined;

const IDENTIFIER = /^[A-Za-z0-9_-]+$/;

/**
 * Renders a path the way an operator finds it in the file: list items that carry a `name` or
 * `id` are shown by it (`tiers.pro.maxBatch`), other items by index (`batch[2].count`).
 */
export function renderPath(path: readonly Segment[], raw: unknown): string {
  let text = '';
  let value = raw;
  for (const segment of path) {
    const child = childOf(value, segment);
    if (typeof segment === 'number') {
      const label = childOf(child, 'name') ?? childOf(child, 'id');
      text += typeof label === 'string' && IDENTIFIER.test(label) ? `.${label}` : `[${segment}]`;
    } else {
      const key = String(segment);
      text += IDENTIFIER.test(key) ? `${text ? '.' : ''}${key}` : `[${JSON.stringify(key)}]`;
    }
    value = child;
  }
  return text || '(whole card)';
}
