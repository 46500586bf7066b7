// `npm ci` installs exactly the lock file and refuses one that does not match package.json, or
// that lacks a package some platform needs ("not in sync"). The native packages come as one
// optional package per platform; a lock written with only this machine's would break `npm ci` on
// every other (Docker on an arm64 Mac, an arm64 server). These checks need no network.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
const entries = lock.packages;

/** Where node would find `name` from the package at `from` (its own node_modules, then each parent's). */
function resolveFrom(from: string, name: string): string | undefined {
  for (let base = from; ; base = base.includes('/node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : '') {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (entries[candidate]) return candidate;
    if (base === '') return undefined;
  }
}

describe('package-lock.json', () => {
  it('matches package.json: the same dependencies at the same versions', () => {
    const rootEntry = entries['']!;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
      expect(rootEntry[field] ?? {}, field).toEqual(pkg[field] ?? {});
    }
    for (const [name, version] of Object.entries({ ...pkg['dependencies'], ...pkg['devDependencies'] })) {
      expect(entries[`node_modules/${name}`]?.version, name).toBe(version);
    }
  });

  it('holds every dependency of every package it lists, optional (other platforms) ones included', () => {
    const missing = Object.entries(entries).flatMap(([at, entry]) =>
      Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })
        .filter((name) => resolveFrom(at, name) === undefined)
        .map((name) => `${at || '(root)'} → ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('has the native packages for Linux on x64 and arm64 (glibc and musl)', () => {
    const natives = [
      '@napi-rs/canvas-linux-x64-gnu',
      '@napi-rs/canvas-linux-arm64-gnu',
      '@napi-rs/canvas-linux-x64-musl',
      '@napi-rs/canvas-linux-arm64-musl',
      '@msgpackr-extract/msgpackr-extract-linux-x64',
      '@msgpackr-extract/msgpackr-extract-linux-arm64',
      '@img/sharp-linux-x64',
      '@img/sharp-linux-arm64',
      '@img/sharp-libvips-linux-x64',
      '@img/sharp-libvips-linux-arm64',
      '@img/sharp-linuxmusl-x64',
      '@img/sharp-linuxmusl-arm64',
    ];
    expect(natives.filter((name) => !entries[`node_modules/${name}`])).toEqual([]);
  });
});
