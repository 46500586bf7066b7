// `npm start` runs the build, not the TypeScript source: `npm run build` (which `npm install`
// runs) compiles src/ and commands/ to dist/, every run script points at a file it emits, and the
// compiled entry points find what they read from the repository root (prisma/migrations,
// price-card.yaml) one directory deeper than the source does.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { dropPrefix, redisUrl, uniquePrefix } from '../../support/redis.js';
import { spawnEntry, type SpawnedProcess } from '../../support/spawned-process.js';

const root = path.resolve(import.meta.dirname, '../../..');
const GUILD = '225000000000000001';
const CHANNEL = '225000000000000002';
const USER = { id: '325000000000000001', username: 'builder' };
const prefix = uniquePrefix();
let database: TestDatabase;
let fake: FakeDiscord;
let app: SpawnedProcess | undefined;

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env['PATH'] ?? '', ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

beforeAll(async () => {
  // What `npm run build` runs; the output is the one `npm start` uses.
  const build = await run([path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  expect(build.output).toBe('');
  expect(build.code).toBe(0);
  database = await createTestDatabase(4);
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Compiled', channels: [{ id: CHANNEL, name: 'art', type: 0 }] });
}, 180_000);
afterAll(async () => {
  if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  await fake?.close();
  await dropPrefix(prefix);
  await database?.drop();
});

describe('the compiled build', () => {
  it('is what the run scripts start, with node and without tsx', async () => {
    const { scripts } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const name of ['start', 'start:bot', 'start:worker', 'commands:deploy', 'db:migrate']) {
      const [command, ...rest] = scripts[name]!.split(' ');
      // Node flags first (the long-running processes keep V8's young generation small), then the file.
      const file = rest.find((word) => !word.startsWith('--'));
      expect(command, name).toBe('node');
      expect(existsSync(path.join(root, file!)), `${name}: ${file}`).toBe(true);
    }
    expect(scripts['postinstall']).toMatch(/npm run build/);
  });

  it('finds prisma/migrations, price-card.yaml and .env at the repository root, one level up from dist/src', async () => {
    const dist = (file: string) => import(path.join(root, 'dist/src', file)) as Promise<Record<string, unknown>>;
    expect((await dist('db/migrations.js'))['migrationsDir']).toBe(path.join(root, 'prisma/migrations'));
    expect((await dist('pricing/load-price-card.js'))['DEFAULT_PRICE_CARD_PATH']).toBe(path.join(root, 'price-card.yaml'));
    expect((await dist('shared/project-root.js'))['projectRoot']).toBe(root);
  });

  it('runs npm start from dist/: quotes /imagine with the price card at the repository root; exits 0 on SIGTERM', async () => {
    app = await spawnEntry(
      'start.ts',
      {
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
      },
      'started: bot and worker',
      90_000,
      'compiled',
    );
    // node, the flags `npm start` passes (package.json), the compiled entry: what operators run.
    expect(app.child.spawnargs.slice(1)).toEqual(['--max-semi-space-size=2', path.join(root, 'dist/src/bin/start.js')]);
    const quote = await fake
      .slashCommand({ guildId: GUILD, channelId: CHANNEL, user: USER, name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a compiled kite' }] })
      .answer();
    expect(JSON.stringify(quote.data)).toMatch(/quote:generate:/);
    const { code } = await app.terminate();
    expect(code).toBe(0);
  });
});
