import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

const root = path.resolve(import.meta.dirname, '../../..');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an entry point as a real process; optionally sends SIGTERM once it logs that it started. */
function run(entry: string, env: Record<string, string>, terminateOn?: RegExp): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/bin', entry)], {
      cwd: root,
      // PLAYGROUND=off: these check the preflight of a real start (the playground's own test is test/integration/playground/).
      env: { PATH: process.env['PATH'] ?? '', HTTP_PORT: '0', PLAYGROUND: 'off', ...env },
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (terminateOn?.test(stdout) && !signalled) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(2);
});
afterAll(async () => {
  await database.drop();
});

describe('starting a process', () => {
  it('starts against a migrated database and exits 0 on SIGTERM', async () => {
    const exit = await run('start.ts', { DATABASE_URL: database.url }, /"msg":"started/);
    expect(exit.stdout).toMatch(/"msg":"shutting down"/);
    expect(exit.code).toBe(0);
  });

  it('refuses to start with the database unreachable, in one line', async () => {
    const exit = await run('start.ts', { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nothing' });
    expect(exit.code).toBe(1);
    expect(exit.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Cannot start all-in-one: Cannot use the database .*127\.0\.0\.1:1/)]);
  });

  it('refuses to start on a database that lacks migrations, and says how to fix it', async () => {
    const exit = await run('worker.ts', { DATABASE_URL: database.url.replace(/\/[^/]+$/, '/postgres') });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/missing \d+ migration\(s\).*run npm run db:migrate/);
  });

  it('refuses to start with a broken price card, naming the field', async () => {
    const card = path.join(tmpdir(), `broken-card-${process.pid}.yaml`);
    await writeFile(card, 'creditsPerDollar: -1\n');
    const exit = await run('start.ts', { DATABASE_URL: database.url, PRICE_CARD: card });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/creditsPerDollar: .*\(line 1\)/);
  });

  it('refuses to start with Redis unreachable, in one line', async () => {
    const exit = await run('worker.ts', { DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(exit.code).toBe(1);
    expect(exit.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Cannot start worker: Cannot reach Redis at 127\.0\.0\.1:1 .*REDIS_URL/)]);
  });

  it('refuses a tier in GUILD_ADMIN_TIERS that the price card does not have, naming it and the card’s tiers', async () => {
    const exit = await run('start.ts', { DATABASE_URL: database.url, GUILD_ADMIN_TIERS: 'starter,platinum' });
    expect(exit.code).toBe(1);
    expect(exit.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Cannot start all-in-one: GUILD_ADMIN_TIERS: the price card has no tier "platinum" \(its tiers: none, starter, pro/),
    ]);
  });

  it('refuses a malformed variable, naming it', async () => {
    const exit = await run('start.ts', { DATABASE_URL: database.url, REDIS_URL: 'localhost' });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/REDIS_URL: must be a URL/);
  });
});
