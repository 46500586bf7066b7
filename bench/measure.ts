import { readFile } from 'node:fs/promises';

/** Runs `operation` from `concurrency` loops for `seconds`; returns completed operations per second. */
export async function measureThroughput(
  concurrency: number,
  seconds: number,
  operation: (worker: number, iteration: number) => Promise<unknown>,
): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let completed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let iteration = 0; performance.now() < deadline; iteration++) {
        await operation(worker, iteration);
        completed++;
      }
    }),
  );
  return completed / ((performance.now() - started) / 1000);
}

/** The median of `rounds` measurements; several short rounds interleaved with the baseline's
 * share the machine's noise fairly on a small, shared machine. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export type Results = Record<string, number>;

export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((row) => row.map((cell) => (typeof cell === 'number' ? cell.toFixed(cell < 10 ? 2 : 0) : cell)))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => String(row[i]).length)));
  console.log(`\n${title}`);
  for (const [index, row] of cells.entries()) {
    console.log(row.map((cell, i) => String(cell).padStart(widths[i]!)).join('  '));
    if (index === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

/** A process's resident memory (VmRSS in /proc/<pid>/status), in MiB; NaN where /proc is not there. */
export async function rssMiB(pid: number | undefined): Promise<number> {
  const status = pid === undefined ? '' : await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kB = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kB === undefined ? Number.NaN : Math.round((Number(kB) / 1024) * 10) / 10;
}
