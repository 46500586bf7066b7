// The repository root (the directory holding package.json), where price-card.yaml, prisma/ and
// .env live. Found by walking up from this file, so it is the same whether the code runs from
// src/ under tsx or compiled, one level deeper, from dist/src/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the repository root. */
export const fromProjectRoot = (...segments: string[]): string => path.join(projectRoot, ...segments);
