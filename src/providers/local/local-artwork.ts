import { createHash } from 'node:crypto';

/** Everything that decides a local image; equal specs give byte-identical PNGs. */
export interface ArtworkSpec {
  readonly prompt: string;
  readonly seed: number;
  readonly model: string;
  /** The picture's own size; the SVG is drawn in these units. */
  readonly width: number;
  readonly height: number;
}

const LABEL = 'local provider';

/** An SVG whose gradient, shapes and colours derive from a hash of the spec, with the prompt written on it. */
export function localArtworkSvg(spec: ArtworkSpec, outputWidth: number, outputHeight: number): string {
  const random = hashRandom(JSON.stringify([spec.prompt, spec.seed, spec.width, spec.height, spec.model]));
  const { width: w, height: h } = spec;
  const hue = Math.floor(random() * 360);
  const colour = (offset: number, lightness: number) => `hsl(${Math.round(hue + offset) % 360},${60 + Math.floor(random() * 30)}%,${lightness}%)`;
  const angle = random() * Math.PI * 2;
  const shapes = Array.from({ length: 5 + Math.floor(random() * 6) }, () => shape(random, w, h, colour(60 + random() * 240, 45 + random() * 30)));
  const fontSize = Math.max(10, Math.round(Math.min(w, h) / 22));
  const lines = wrap(spec.prompt, Math.max(8, Math.floor((w - 2 * fontSize) / (fontSize * 0.55))), 6);
  const textTop = h - fontSize * (lines.length + 1.2);
  const text = lines.map((line, i) => `<text x="${fontSize}" y="${(textTop + fontSize * (i + 1)).toFixed(1)}">${escapeXml(line)}</text>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${outputWidth}" height="${outputHeight}" viewBox="0 0 ${w} ${h}">` +
    `<defs><linearGradient id="bg" x1="${(0.5 - Math.cos(angle) / 2).toFixed(3)}" y1="${(0.5 - Math.sin(angle) / 2).toFixed(3)}" x2="${(0.5 + Math.cos(angle) / 2).toFixed(3)}" y2="${(0.5 + Math.sin(angle) / 2).toFixed(3)}">` +
    `<stop offset="0" stop-color="${colour(0, 25)}"/><stop offset="0.5" stop-color="${colour(40, 45)}"/><stop offset="1" stop-color="${colour(180, 30)}"/></linearGradient></defs>` +
    `<rect width="${w}" height="${h}" fill="url(#bg)"/>${shapes.join('')}` +
    `<rect x="0" y="${(textTop - fontSize * 0.2).toFixed(1)}" width="${w}" height="${h}" fill="black" fill-opacity="0.45"/>` +
    `<g font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" fill="white">${text}</g>` +
    `<text x="${fontSize / 2}" y="${fontSize}" font-family="DejaVu Sans, sans-serif" font-size="${Math.round(fontSize * 0.6)}" fill="white" fill-opacity="0.8">${LABEL} · seed ${spec.seed}</text></svg>`
  );
}

function shape(random: () => number, w: number, h: number, fill: string): string {
  const x = (random() * w).toFixed(1);
  const y = (random() * h).toFixed(1);
  const size = Math.min(w, h) * (0.08 + random() * 0.3);
  const opacity = (0.25 + random() * 0.5).toFixed(2);
  if (random() < 0.5) return `<circle cx="${x}" cy="${y}" r="${size.toFixed(1)}" fill="${fill}" fill-opacity="${opacity}"/>`;
  const rotation = Math.floor(random() * 90);
  return `<rect x="${x}" y="${y}" width="${(size * 1.6).toFixed(1)}" height="${size.toFixed(1)}" rx="${(size / 8).toFixed(1)}" fill="${fill}" fill-opacity="${opacity}" transform="rotate(${rotation} ${x} ${y})"/>`;
}

/** Greedy word wrap; the last line ends with an ellipsis when the prompt does not fit. */
function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.trim().split(/\s+/)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= width) line = candidate;
    else {
      if (line !== '') lines.push(line);
      line = word.length > width ? `${word.slice(0, width - 1)}…` : word;
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${(kept[maxLines - 1] ?? '').slice(0, width - 1)}…`;
  return kept;
}

function escapeXml(text: string): string {
  // Control characters are not allowed in XML at all, even escaped.
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A deterministic stream of numbers in [0, 1) from a SHA-256 of the key (sfc32). */
function hashRandom(key: string): () => number {
  const digest = createHash('sha256').update(key).digest();
  let a = digest.readUInt32LE(0),
    b = digest.readUInt32LE(4),
    c = digest.readUInt32LE(8),
    d = digest.readUInt32LE(12);
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
