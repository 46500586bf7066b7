// Applies and creates Prisma migrations with the WebAssembly schema engine. `applyMigrations`
// records rows in `_prisma_migrations` with the same checksums as `prisma migrate deploy`, so a
// machine with the regular Prisma CLI sees the same history.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { fromProjectRoot } from '../shared/project-root.js';
import { openSchemaEngine, takePanics, type SchemaEngineHandle } from './schema-engine.js';
import { errorMessage } from '../shared/error-message.js';

const prismaDir = fromProjectRoot('prisma');
export const schemaPath = path.join(prismaDir, 'schema.prisma');
export const migrationsDir = path.join(prismaDir, 'migrations');
const noFilters = { externalTables: [], externalEnums: [] };

export async function readMigrationList(dir = migrationsDir): Promise<MigrationList> {
  const lockPath = path.join(dir, 'migration_lock.toml');
  const names = existsSync(dir)
    ? (await readdir(dir, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const migrationDirectories = await Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, 'migration.sql');
      const content = existsSync(file) ? { tag: 'ok' as const, value: await readFile(file, 'utf8') } : { tag: 'error' as const, value: `${file} is missing` };
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

async function withEngine<T>(databaseUrl: string, run: (handle: SchemaEngineHandle) => Promise<T>): Promise<T> {
  const handle = await openSchemaEngine(databaseUrl, [[schemaPath, await readFile(schemaPath, 'utf8')]]);
  try {
    return await run(handle);
  } catch (error) {
    const detail = [...takePanics(), ...handle.logs].map((line) => `\n${line}`).join('');
    throw new Error(`${errorMessage(error)}${detail}`, { cause: error });
  } finally {
    await handle.close();
  }
}

/** Creates the database named in `databaseUrl` if the server does not have it yet; true if it did. */
export async function ensureDatabaseExists(databaseUrl: string): Promise<boolean> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new pg.Client({ connectionString: Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    return true;
  } finally {
    await admin.end();
  }
}

/** Applies every migration not yet applied; returns the names it applied (none on a second run). */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const migrationsList = await readMigrationList();
  return withEngine(databaseUrl, async ({ engine }) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return appliedMigrationNames;
  });
}

/**
 * Names of migrations on disk that the database has not applied (empty when up to date), read from
 * `_prisma_migrations` as `prisma migrate deploy` leaves it. Every process checks this at start, so
 * it does not start the schema engine: its WebAssembly would stay resident (about 50 MiB) for the
 * life of the process. A migration that started and failed counts as not applied.
 */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const onDisk = (await readMigrationList()).migrationDirectories.map((migration) => migration.path);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const {
      rows: [table],
    } = await client.query<{ present: boolean }>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`);
    if (!table?.present) return onDisk;
    const { rows } = await client.query<{ name: string }>(
      `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((row) => row.name));
    return onDisk.filter((name) => !applied.has(name));
  } finally {
    await client.end();
  }
}

/**
 * Writes `prisma/migrations/<timestamp>_<name>/migration.sql` with the SQL that takes the
 * migrations so far to the current schema.prisma (replayed in a throwaway shadow database).
 * Returns null when the schema has no changes.
 */
export async function createMigration(databaseUrl: string, name: string): Promise<string | null> {
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  if (!existsSync(lockPath)) {
    await mkdir(migrationsDir, { recursive: true });
    await writeFile(lockPath, '# Please do not edit this file manually\nprovider = "postgresql"\n');
  }
  const migrationsList = await readMigrationList();
  const schema = await readFile(schemaPath, 'utf8');
  const sql = await withEngine(databaseUrl, async ({ engine }) => {
    const { stdout } = await engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    return stdout ?? '';
  });
  if (sql.trim() === '' || sql.includes('This is an empty migration')) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name.replace(/\W+/g, '_')}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), sql);
  return dir;
}
