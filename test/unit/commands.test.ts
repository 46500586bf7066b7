import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { imagine, maxPromptLength as commandLimit } from '../../commands/imagine.js';
import { maxPromptLength as jobLimit } from '../../src/domain/jobs/job-request.js';

describe('slash command definitions', () => {
  it('limit the prompt exactly as the job request does', () => {
    expect(commandLimit).toBe(jobLimit);
    expect(imagine.options.find((o) => o.name === 'prompt')).toMatchObject({ required: true, max_length: jobLimit });
  });

  it('stay within Discord’s limits: lowercase names ≤ 32, descriptions ≤ 100, required options first', () => {
    for (const command of commands) {
      const options: readonly { name: string; description: string; required?: boolean }[] = 'options' in command ? command.options : [];
      for (const item of [command, ...options]) {
        expect(item.name).toMatch(/^[a-z0-9_-]{1,32}$/);
        expect(item.description.length).toBeLessThanOrEqual(100);
      }
      const required = options.map((o) => Boolean(o.required));
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
    }
  });
});

describe('/imagine aspect', () => {
  it('offers the ratios the size resolver knows, each of which maps to a size of the default card’s image models', async () => {
    const { aspectRatioChoices } = await import('../../commands/imagine.js');
    const { COMMON_ASPECT_RATIOS, resolveSize } = await import('../../src/domain/pricing/sizes.js');
    expect([...aspectRatioChoices]).toEqual([...COMMON_ASPECT_RATIOS]);
    const { loadPriceCardOrThrow } = await import('../../src/pricing/load-price-card.js');
    const card = await loadPriceCardOrThrow();
    // The fast model every member may use serves the five common ratios of its sizes.
    const schnell = card.models['flux-schnell']!.sizes;
    for (const ratio of ['1:1', '16:9', '9:16', '3:2', '2:3']) expect(resolveSize(ratio, schnell), ratio).toBeDefined();
  });
});

describe('/admin config definition', () => {
  it('is one subcommand group within Discord’s limits, admin-only and guild-only', async () => {
    const { admin } = await import('../../commands/admin.js');
    const { adminConfigGroup } = await import('../../commands/admin-config.js');
    expect(admin).toMatchObject({ default_member_permissions: '32', dm_permission: false });
    expect(adminConfigGroup.options.length).toBeLessThanOrEqual(25);
    for (const sub of adminConfigGroup.options) {
      const options: readonly { name: string; description: string; required?: boolean }[] = 'options' in sub ? sub.options : [];
      for (const item of [sub, ...options]) {
        expect(item.name).toMatch(/^[a-z0-9_-]{1,32}$/);
        expect(item.description.length).toBeLessThanOrEqual(100);
      }
      const required = options.map((o) => Boolean(o.required));
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
    }
  });
});
