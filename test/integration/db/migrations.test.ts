import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { applyMigrations, createMigration, ensureDatabaseExists, migrationsDir, pendingMigrations, readMigrationList } from '../../../src/db/migrations.js';
import { adminQuery, serverUrl } from '../../support/database.js';

const name = `imagine_credits_migrate_${process.pid}`;
const url = serverUrl(name);

beforeAll(async () => {
  await adminQuery(`DROP DATABASE IF EXISTS "${name}"`);
});
afterAll(async () => {
  await adminQuery(`DROP DATABASE IF EXISTS "${name}"`);
});

describe('migrations through the WebAssembly schema engine', () => {
  it('creates a missing database, once', async () => {
    expect(await ensureDatabaseExists(url)).toBe(true);
    expect(await ensureDatabaseExists(url)).toBe(false);
  });

  it('applies every migration and records it as prisma migrate deploy does; a second run applies nothing', async () => {
    const onDisk = (await readMigrationList()).migrationDirectories.map((d) => d.path);
    expect(await pendingMigrations(url)).toEqual(onDisk);
    expect(await applyMigrations(url)).toEqual(onDisk);
    expect(await applyMigrations(url)).toEqual([]);
    expect(await pendingMigrations(url)).toEqual([]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NULL AS live FROM _prisma_migrations ORDER BY migration_name`,
    );
    await client.end();
    const expected = await Promise.all(
      onDisk.map(async (migration) => ({
        migration_name: migration,
        // prisma migrate deploy stores the SHA-256 of migration.sql; a mismatch would mark it edited.
        checksum: createHash('sha256')
          .update(await readFile(path.join(migrationsDir, migration, 'migration.sql')))
          .digest('hex'),
        finished: true,
        live: true,
      })),
    );
    expect(rows).toEqual(expected);
  });

  it('counts a migration that failed or was rolled back as not applied (the start-up check, read from _prisma_migrations)', async () => {
    const last = (await readMigrationList()).migrationDirectories.at(-1)!.path;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1`, [last]);
      expect(await pendingMigrations(url)).toEqual([last]);
      await client.query(`UPDATE _prisma_migrations SET rolled_back_at = NULL, finished_at = NULL WHERE migration_name = $1`, [last]);
      expect(await pendingMigrations(url)).toEqual([last]);
    } finally {
      await client.query(`UPDATE _prisma_migrations SET rolled_back_at = NULL, finished_at = now() WHERE migration_name = $1`, [last]);
      await client.end();
    }
    expect(await pendingMigrations(url)).toEqual([]);
  });

  it('finds no difference between the migrations and schema.prisma (no migration left to write)', async () => {
    expect(await createMigration(url, 'should_not_exist')).toBeNull();
  });
});
