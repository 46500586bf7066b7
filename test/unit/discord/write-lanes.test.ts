// One lane per job message: writes in order, one at a time, a stale progress edit dropped rather
// than sent late, the final write never dropped, and separate messages independent.
import { describe, expect, it } from 'vitest';
import { createWriteLanes } from '../../../src/discord/write-lanes.js';

/** A write the test finishes by hand, recording when it started. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    open,
    write: async () => {
      log.push(`start ${name}`);
      await opened;
      log.push(`end ${name}`);
      return name;
    },
  };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('write lanes', () => {
  it('run one key’s writes one at a time, in order', async () => {
    const log: string[] = [];
    const lanes = createWriteLanes();
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const first = lanes.submit('job', a.write, { droppable: false });
    const second = lanes.submit('job', b.write, { droppable: false });
    await settle();
    expect(log).toEqual(['start a']);
    a.open();
    b.open();
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('drop a waiting progress write that a newer one overtakes, and never the final write', async () => {
    const log: string[] = [];
    const lanes = createWriteLanes();
    const running = gate(log, 'progress 25%');
    const first = lanes.submit('job', running.write, { droppable: true });
    await settle();
    const stale = lanes.submit(
      'job',
      async () => {
        log.push('progress 50%');
        return 'progress 50%';
      },
      { droppable: true },
    );
    const newer = lanes.submit(
      'job',
      async () => {
        log.push('progress 75%');
        return 'progress 75%';
      },
      { droppable: true },
    );
    const final = lanes.submit(
      'job',
      async () => {
        log.push('images');
        return 'images';
      },
      { droppable: false },
    );
    const late = lanes.submit(
      'job',
      async () => {
        log.push('late progress');
        return 'late progress';
      },
      { droppable: true },
    );
    running.open();
    expect(await Promise.all([first, stale, newer, final, late])).toEqual(['progress 25%', undefined, undefined, 'images', 'late progress']);
    // 50% and 75% never went out: the images followed 25% directly.
    expect(log).toEqual(['start progress 25%', 'end progress 25%', 'images', 'late progress']);
  });

  it('keep separate messages independent, and start a key’s first write only when it may', async () => {
    const log: string[] = [];
    let allowJob2!: () => void;
    const job2Allowed = new Promise<void>((resolve) => (allowJob2 = resolve));
    const lanes = createWriteLanes((key) => (key === 'job-2' ? job2Allowed : Promise.resolve()));
    const slow = gate(log, 'job-1');
    const one = lanes.submit('job-1', slow.write, { droppable: false });
    const two = lanes.submit(
      'job-2',
      async () => {
        log.push('job-2');
        return 'job-2';
      },
      { droppable: false },
    );
    const three = lanes.submit(
      'job-3',
      async () => {
        log.push('job-3');
        return 'job-3';
      },
      { droppable: false },
    );
    expect(await three).toBe('job-3');
    expect(log).toEqual(['start job-1', 'job-3']);
    allowJob2();
    expect(await two).toBe('job-2');
    slow.open();
    expect(await one).toBe('job-1');
  });

  it('pass a failed write’s error to its caller and go on with the next', async () => {
    const lanes = createWriteLanes();
    const failing = lanes.submit(
      'job',
      async () => {
        throw new Error('429 then gone');
      },
      { droppable: false },
    );
    const next = lanes.submit('job', async () => 'next', { droppable: false });
    await expect(failing).rejects.toThrow('429 then gone');
    expect(await next).toBe('next');
  });
});
