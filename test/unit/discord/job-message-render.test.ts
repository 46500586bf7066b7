import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fitUnder } from '../../../src/discord/images/fit-upload.js';
import { cropGridCell, makeGrid } from '../../../src/discord/images/grid.js';
import { imageLocation, resultButtons, resultText } from '../../../src/discord/render/job-message.js';
import { jobSettlement } from '../../../src/domain/jobs/job-settlement.js';
import type { JobRecord } from '../../../src/use-cases/adapter-contracts.js';
import { aJobRequest } from '../../factories/generation-request.js';

const aJob = (price: number, count: number): JobRecord => ({
  id: 'job-1',
  userId: '42',
  guildId: 'g',
  channelId: 'c',
  request: aJobRequest({ prompt: 'a fox', count }),
  price,
  tierName: 'starter',
  priority: 10,
  status: 'running',
  attempts: 1,
  deadlineAt: new Date(),
  messageId: null,
  imagesDelivered: 0,
  createdAt: new Date(),
  interaction: null,
});

describe('the finished job message (issue 14.8, 14.9)', () => {
  it('says what the job cost and the balance after it', () => {
    expect(resultText(aJob(3, 2), 2, { available: 217 })).toMatch(/^<@42>’s job — done · 3 credits · balance 217\n/);
    expect(resultText(aJob(1, 1), 1)).toMatch(/— done · 1 credit\n/);
  });

  it('a partly failed batch says how many credits came back, and the balance counts them', () => {
    // 5 credits for 4 images, 1 not made: its share ⌈5 × 1/4⌉ = 2 is refunded, 3 charged.
    const text = resultText(aJob(5, 4), 3, { available: 100 });
    expect(text).toMatch(/— done · 3 credits · balance 102/);
    expect(text).toContain('1 of 4 images could not be made; 2 credits refunded.');
  });

  it('settles as finish_job does: each missing image refunds its share, rounded up, never more than the price', () => {
    expect(jobSettlement(5, 4, 3)).toEqual({ charged: 3, refunded: 2 });
    expect(jobSettlement(39, 4, 0)).toEqual({ charged: 0, refunded: 39 });
    expect(jobSettlement(39, 4, 4)).toEqual({ charged: 39, refunded: 0 });
    expect(jobSettlement(10, 3, 1)).toEqual({ charged: 3, refunded: 7 });
  });
});

describe('result buttons', () => {
  it.each([1, 2, 4, 5, 6, 10, 16])('for %i images stay within Discord’s 5 rows of 5 buttons, with re-roll, keep and edit last', (images) => {
    const rows = resultButtons('job-1', images);
    expect(rows.length).toBeLessThanOrEqual(5);
    for (const row of rows) expect(row.components.length).toBeLessThanOrEqual(5);
    const ids = rows.flatMap((row) => row.components.map((c) => (c as { custom_id: string }).custom_id));
    expect(ids.slice(-3)).toEqual(['job:reroll:job-1', 'job:keep:job-1', 'edit:open:job-1']);
    expect(ids.filter((id) => id.startsWith('job:upscale:'))).toHaveLength(Math.min(images, 10));
    expect(ids.every((id) => id.length <= 100)).toBe(true);
  });

  it('find image k in a grid cell for four delivered images, else in attachment k', () => {
    expect(imageLocation(4, 3)).toEqual({ attachmentIndex: 0, gridCell: 2 });
    expect(imageLocation(2, 2)).toEqual({ attachmentIndex: 1 });
    expect(imageLocation(2, 3)).toBeNull();
    expect(imageLocation(12, 11)).toBeNull();
  });
});

describe('upload images', () => {
  it('a grid holds the four images at full size, and each cell crops back out exactly', async () => {
    const colours = ['#ff0000', '#00ff00', '#0000ff', '#ffff00'];
    const images = await Promise.all(
      colours.map((background) =>
        sharp({ create: { width: 64, height: 48, channels: 3, background } })
          .png()
          .toBuffer(),
      ),
    );
    const grid = await makeGrid(images);
    expect(await sharp(grid).metadata()).toMatchObject({ width: 128, height: 96 });
    const third = await sharp(await cropGridCell(grid, 2))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(third.info).toMatchObject({ width: 64, height: 48 });
    expect([...third.data.subarray(0, 3)]).toEqual([0, 0, 255]);
  });

  it('fitUnder leaves a small image alone and shrinks a big one under the limit', async () => {
    const small = {
      data: await sharp({ create: { width: 32, height: 32, channels: 3, background: '#123456' } })
        .png()
        .toBuffer(),
      contentType: 'image/png' as const,
    };
    expect(await fitUnder(small, 10_000)).toBe(small);
    const noise = await sharp(randomBytes(512 * 512 * 3), { raw: { width: 512, height: 512, channels: 3 } })
      .png()
      .toBuffer();
    const fitted = await fitUnder({ data: noise, contentType: 'image/png' }, 40_000);
    expect(fitted.data.length).toBeLessThanOrEqual(40_000);
    expect(fitted.contentType).toBe('image/jpeg');
  });
});
