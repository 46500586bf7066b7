// A crowd in one busy channel, at real bot processes, against a fake Discord that enforces Discord's
// limits (5 writes per 5 s per channel, 5 per 2 s per interaction token, 50/s global, the 3 s
// deadline): 40 members each run /balance, then /imagine and Generate five times, then /balance
// (480 interactions, 200 jobs), the local provider taking 1.5 s per image. Run twice: `npm start`
// (bot and worker in one process) and `start:bot` + `start:worker` apart, with the same total
// worker concurrency. Reported: how fast interactions were acknowledged (and how many never were),
// the 429s Discord answered, how long from the first Generate to the last image against the
// provider-bound minimum (jobs × provider time ÷ worker slots), and the bot's event-loop lag.
//
// The processes run the build (dist/, as `npm start` does). Their memory (RSS) is read idle,
// `idleSettleMs` after each logged that it started, and again once the crowd's last image is in.
// The apart run is repeated on the TypeScript source through tsx (as `npm run dev` runs, and as
// `npm start` ran before the build) for its memory alone: keys `*.rss.tsx.*`.
import pg from 'pg';
import { FakeDiscord } from '../src/playground/local-discord/fake-discord.js';
import { spawnEntry, type EntryRunner, type SpawnedProcess } from '../test/support/spawned-process.js';
import { printTable, rssMiB, type Results } from './measure.js';

export interface CrowdOptions {
  readonly members: number;
  readonly jobsEach: number;
  readonly providerMs: number;
  /** Worker slots in all (WORKER_CONCURRENCY of the one worker). */
  readonly workerSlots: number;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

type Payload = { components?: { components: { custom_id?: string }[] }[]; content?: string };
const generateButton = (data: unknown) =>
  ((data as Payload | undefined)?.components ?? [])
    .flatMap((row) => row.components)
    .map((c) => c.custom_id ?? '')
    .find((id) => id.startsWith('quote:generate:'));

/** The bot process's event-loop lag since the last scrape (prom-client resets it on each scrape), in ms. */
async function loopLag(bot: SpawnedProcess): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`${bot.baseUrl}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN) * 1000;
  return { p99: read('imagine_nodejs_eventloop_lag_p99_seconds'), max: read('imagine_nodejs_eventloop_lag_max_seconds') };
}

interface CrowdRun {
  readonly ackMs: number[];
  /** Until the answer was edited in (the bot's own "interaction handled" times), by kind. */
  readonly handledMs: Record<string, number[]>;
  readonly unacked: number;
  readonly rateLimited: number;
  readonly firstGenerateToLastImageMs: number;
  /** From the first Generate to the last: jobs cannot start before they exist. */
  readonly generateSpreadMs: number;
  readonly loopLag: { p99: number; max: number };
  /** MiB: the bot process (in `allInOne`, the one process) and the worker process (`apart` only). */
  readonly rss: { botIdle: number; botCrowd: number; workerIdle?: number; workerCrowd?: number };
}

const idleSettleMs = 3000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runCrowd(
  mode: 'allInOne' | 'apart',
  runner: EntryRunner,
  databaseUrl: string,
  redisUrl: string,
  options: CrowdOptions,
  guildNumber: number,
): Promise<CrowdRun> {
  const guildId = `2400000000000000${String(guildNumber).padStart(2, '0')}`;
  const channelId = `2410000000000000${String(guildNumber).padStart(2, '0')}`;
  const fake = await FakeDiscord.start();
  fake.addGuild({ id: guildId, name: `Crowd ${mode}`, channels: [{ id: channelId, name: 'busy', type: 0 }] });
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `bench-crowd-${mode}-${runner}`,
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    LOCAL_PROVIDER_DELAY_MS: String(options.providerMs),
    WORKER_CONCURRENCY: String(options.workerSlots),
  };
  const processes: SpawnedProcess[] = [];
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    if (mode === 'allInOne') processes.push(await spawnEntry('start.ts', env, 'started: bot and worker', 90_000, runner));
    else processes.push(await spawnEntry('bot.ts', env, 'bot started', 90_000, runner), await spawnEntry('worker.ts', env, 'worker started', 90_000, runner));
    const [bot, worker] = processes as [SpawnedProcess, SpawnedProcess | undefined];
    await sleep(idleSettleMs);
    const botIdle = await rssMiB(bot.child.pid);
    const workerIdle = worker && (await rssMiB(worker.child.pid));
    await loopLag(bot); // resets the lag histogram: what follows is the crowd's

    let firstGenerateAt: number | null = null;
    let lastGenerateAt = 0;
    const at = { guildId, channelId };
    const member = (n: number) => ({ id: `34${String(guildNumber).padStart(2, '0')}${String(n).padStart(14, '0')}`, username: `crowd${n}` });
    await Promise.all(
      Array.from({ length: options.members }, async (_, n) => {
        const user = member(n);
        await fake.slashCommand({ ...at, user, name: 'balance' }).answer(30_000);
        for (let job = 1; job <= options.jobsEach; job++) {
          const quote = await fake
            .slashCommand({ ...at, user, name: 'imagine', options: [{ name: 'prompt', type: 3, value: `crowd ${n} picture ${job}` }] })
            .answer(30_000);
          const generate = generateButton(quote.data);
          if (generate === undefined) throw new Error(`no quote for member ${n}: ${JSON.stringify(quote.data)}`);
          firstGenerateAt ??= Date.now();
          lastGenerateAt = Math.max(lastGenerateAt, Date.now());
          await fake.buttonClick({ ...at, user, customId: generate }).answer(30_000);
        }
        await fake.slashCommand({ ...at, user, name: 'balance' }).answer(30_000);
      }),
    );

    const jobs = options.members * options.jobsEach;
    let lastImageAt = 0;
    for (const deadline = Date.now() + 10 * 60_000; Date.now() < deadline;) {
      const {
        rows: [done],
      } = await db.query<{ n: number; last: Date | null }>(
        `SELECT count(*)::int AS n, max(finished_at) AS last FROM generation_job WHERE guild_id = $1 AND status = 'succeeded'`,
        [guildId],
      );
      if (done!.n >= jobs) {
        lastImageAt = done!.last!.getTime();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (lastImageAt === 0) throw new Error(`${mode}: the crowd's jobs did not all succeed in 10 minutes`);
    const handledMs: Record<string, number[]> = {};
    for (const line of bot.logLines()) {
      if (line['msg'] !== 'interaction handled') continue;
      (handledMs[String(line['kind'])] ??= []).push(Number(line['ms']));
    }
    for (const times of Object.values(handledMs)) times.sort((a, b) => a - b);
    return {
      handledMs,
      ackMs: fake
        .latencies()
        .map((l) => l.latencyMs)
        .sort((a, b) => a - b),
      unacked: fake.unacknowledged().length,
      rateLimited: fake.rateLimited.length,
      firstGenerateToLastImageMs: lastImageAt - firstGenerateAt!,
      generateSpreadMs: lastGenerateAt - firstGenerateAt!,
      loopLag: await loopLag(bot),
      rss: {
        botIdle,
        botCrowd: await rssMiB(bot.child.pid),
        ...(worker && { workerIdle: workerIdle!, workerCrowd: await rssMiB(worker.child.pid) }),
      },
    };
  } finally {
    for (const child of processes.reverse()) await child.terminate();
    await db.end();
    await fake.close();
  }
}

export async function benchCrowd(databaseUrl: string, redisUrl: string, options: CrowdOptions): Promise<Results> {
  const minimumMs = (options.members * options.jobsEach * options.providerMs) / options.workerSlots;
  const results: Results = {};
  const rows: (string | number)[][] = [];
  const answerRows: (string | number)[][] = [];
  const memoryRows: (string | number)[][] = [];
  let guildNumber = 0;
  for (const mode of ['allInOne', 'apart'] as const) {
    const run = await runCrowd(mode, 'compiled', databaseUrl, redisUrl, options, ++guildNumber);
    Object.assign(results, rssResults(mode, 'compiled', run));
    memoryRows.push(memoryRow(mode, 'compiled', run));
    // The plain keys are `npm start`'s, what a newcomer runs; `.apart.` is bot + worker processes.
    const key = (name: string) => (mode === 'allInOne' ? `discord.crowd.${name}` : `discord.crowd.apart.${name}`);
    const ratio = run.firstGenerateToLastImageMs / minimumMs;
    Object.assign(results, {
      [key('ack.p50')]: round(percentile(run.ackMs, 50)),
      [key('ack.p99')]: round(percentile(run.ackMs, 99)),
      [key('ack.max')]: round(run.ackMs.at(-1) ?? 0),
      [key('unacked')]: run.unacked,
      [key('rateLimited')]: run.rateLimited,
      [key('lastDeliveryRatio')]: round(ratio, 2),
      [key('generateSpread.s')]: round(run.generateSpreadMs / 1000),
      [key('loopLag.p99')]: round(run.loopLag.p99),
      [key('loopLag.max')]: round(run.loopLag.max),
      ...Object.fromEntries(
        Object.entries(run.handledMs).flatMap(([kind, times]) => [
          [key(`answered.${kind.replace('button:', '')}.p50`), percentile(times, 50)],
          [key(`answered.${kind.replace('button:', '')}.p99`), percentile(times, 99)],
        ]),
      ),
    });
    answerRows.push(
      ...Object.entries(run.handledMs).map(([kind, times]) => [
        mode === 'allInOne' ? 'npm start' : 'apart',
        kind,
        times.length,
        percentile(times, 50),
        percentile(times, 99),
      ]),
    );
    rows.push([
      mode === 'allInOne' ? 'npm start (all in one)' : 'start:bot + start:worker',
      run.ackMs.length,
      round(percentile(run.ackMs, 50)),
      round(percentile(run.ackMs, 99)),
      round(run.ackMs.at(-1) ?? 0),
      run.unacked,
      run.rateLimited,
      round(run.generateSpreadMs / 1000),
      round(run.firstGenerateToLastImageMs / 1000),
      round(minimumMs / 1000),
      round(ratio, 2),
      round(run.loopLag.p99),
      round(run.loopLag.max),
    ]);
  }
  printTable(
    `A crowd in one channel under Discord's limits: ${options.members} members × ${options.jobsEach} /imagine + Generate, ${options.providerMs} ms provider, ${options.workerSlots} worker slots`,
    [
      'process',
      'interactions',
      'ack p50 ms',
      'ack p99 ms',
      'ack max ms',
      'never acked',
      '429s',
      'first → last Generate s',
      'first Generate → last image s',
      'provider-bound min s',
      'ratio',
      'bot loop lag p99 ms',
      'loop lag max ms',
    ],
    rows,
  );
  printTable(
    'The same crowd: until each answer was edited in (the bot\'s "interaction handled" times)',
    ['process', 'kind', 'count', 'p50 ms', 'p99 ms'],
    answerRows,
  );

  // Before the build: the same processes on the TypeScript source through tsx, memory only.
  const tsx = await runCrowd('apart', 'tsx', databaseUrl, redisUrl, options, ++guildNumber);
  Object.assign(results, rssResults('apart', 'tsx', tsx));
  memoryRows.push(memoryRow('apart', 'tsx', tsx));
  printTable(
    `Memory (RSS, MiB): idle ${idleSettleMs / 1000} s after start, and after the crowd above (goal: idle bot ≤ 150)`,
    ['process', 'runs', 'bot idle', 'bot after crowd', 'worker idle', 'worker after crowd'],
    memoryRows,
  );
  return results;
}

/** Flat keys: `bot.rss.idleMiB`, `bot.rss.crowdMiB`, `worker.rss.idleMiB`… from the compiled apart run;
 * `allInOne.rss.*` for `npm start`'s one process; `.tsx.` before the last part for the source through tsx. */
function rssResults(mode: 'allInOne' | 'apart', runner: EntryRunner, run: CrowdRun): Results {
  const key = (role: string, name: string) => `${role}.rss.${runner === 'tsx' ? 'tsx.' : ''}${name}`;
  if (mode === 'allInOne') return { [key('allInOne', 'idleMiB')]: run.rss.botIdle, [key('allInOne', 'crowdMiB')]: run.rss.botCrowd };
  return {
    [key('bot', 'idleMiB')]: run.rss.botIdle,
    [key('bot', 'crowdMiB')]: run.rss.botCrowd,
    [key('worker', 'idleMiB')]: run.rss.workerIdle ?? Number.NaN,
    [key('worker', 'crowdMiB')]: run.rss.workerCrowd ?? Number.NaN,
  };
}

function memoryRow(mode: 'allInOne' | 'apart', runner: EntryRunner, run: CrowdRun): (string | number)[] {
  const how = runner === 'compiled' ? 'node dist/ (npm start)' : 'tsx src/ (npm run dev)';
  return mode === 'allInOne'
    ? ['all in one', how, run.rss.botIdle, run.rss.botCrowd, '(same process)', '(same process)']
    : ['bot + worker apart', how, run.rss.botIdle, run.rss.botCrowd, run.rss.workerIdle ?? '', run.rss.workerCrowd ?? ''];
}
