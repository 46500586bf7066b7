// A real entry point (src/bin/*.ts) as a child process: its output collected, its HTTP port read
// from its "started" line, its exit awaited. Tests run the source through tsx (as `npm run dev`
// does); the bench can run the compiled build (dist/, as `npm start` does) to measure it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface SpawnedProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** stdout and stderr so far. */
  output(): string;
  /** stdout's JSON log lines so far, parsed. */
  logLines(): Record<string, unknown>[];
  /** The /healthz + /metrics base URL (HTTP_PORT: private). */
  readonly baseUrl: string;
  /** The public listener's base URL (PUBLIC_HTTP_PORT: webhooks), when the process opened one. */
  readonly publicBaseUrl: string | undefined;
  /** Sends SIGTERM; resolves with the exit code and how long the exit took. */
  terminate(): Promise<{ code: number | null; ms: number }>;
}

/** How an entry point runs: its TypeScript source through tsx, or its build (`npm run build`) with plain node. */
export type EntryRunner = 'tsx' | 'compiled';

/** The node flags `npm start` runs with (package.json), so a compiled process here is the one operators run. */
export function startNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return scripts['start']!.split(' ').filter((word) => word.startsWith('--'));
}

/** The node arguments that run `src/bin/<entry>` (e.g. `bot.ts`) with `runner`. */
export function entryArgs(entry: string, runner: EntryRunner = 'tsx'): string[] {
  return runner === 'tsx'
    ? ['--import', 'tsx', path.join(root, 'src/bin', entry)]
    : [...startNodeFlags(), path.join(root, 'dist/src/bin', entry.replace(/\.ts$/, '.js'))];
}

/** Starts `src/bin/<entry>` and resolves once it logs `startedMessage` (rejects if it exits first). */
export function spawnEntry(
  entry: string,
  env: Record<string, string>,
  startedMessage: string,
  timeoutMs = 90_000,
  runner: EntryRunner = 'tsx',
): Promise<SpawnedProcess> {
  const child = spawn(process.execPath, entryArgs(entry, runner), {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', HTTP_PORT: '0', PUBLIC_HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not log "${startedMessage}" in ${timeoutMs} ms:\n${stdout}${stderr}`)), timeoutMs);
    const check = () => {
      const started = stdout.split('\n').find((line) => line.includes(`"msg":"${startedMessage}"`));
      if (!started) return;
      clearTimeout(timer);
      const { httpPort, publicHttpPort } = JSON.parse(started) as { httpPort: number; publicHttpPort?: number };
      resolve({
        child,
        exited,
        baseUrl: `http://127.0.0.1:${httpPort}`,
        publicBaseUrl: publicHttpPort === undefined ? undefined : `http://127.0.0.1:${publicHttpPort}`,
        output: () => stdout + stderr,
        logLines: () =>
          stdout
            .split('\n')
            .filter((line) => line.trim())
            .map((line) => JSON.parse(line) as Record<string, unknown>),
        async terminate() {
          const at = Date.now();
          child.kill('SIGTERM');
          const code = await exited;
          return { code, ms: Date.now() - at };
        },
      });
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      check();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited early (${code}):\n${stdout}${stderr}`));
    });
  });
}
