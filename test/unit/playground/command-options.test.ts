// The playground's command box is checked against the real command definitions (commands/), as
// Discord's client checks what a member types: bad input is a message, and builds nothing.
import { describe, expect, it } from 'vitest';
import { admin } from '../../../commands/admin.js';
import { imagine } from '../../../commands/imagine.js';
import type { Json } from '../../../src/playground/local-discord/fake-discord.js';
import { buildCommandOptions, optionsAt } from '../../../src/playground/command-options.js';

const known = { userIds: ['710000000000000102'], roleIds: ['710000000000000012'], channelIds: ['710000000000000002'] };
const asJson = (command: unknown) => command as Json;

describe('buildCommandOptions', () => {
  it('builds typed wire options for a plain command, leaving out what was not given', () => {
    const built = buildCommandOptions(asJson(imagine), { path: [], values: { prompt: ' a fox ', steps: '8', size: '' } }, known);
    expect(built).toEqual({
      ok: true,
      value: {
        options: [
          { type: 3, name: 'prompt', value: 'a fox' },
          { type: 4, name: 'steps', value: 8 },
        ],
        roleIds: [],
        userIds: [],
        channelIds: [],
      },
    });
  });

  it('nests a subcommand group and collects the roles and members to resolve', () => {
    const built = buildCommandOptions(asJson(admin), { path: ['tier', 'set'], values: { role: '710000000000000012', tier: 'pro' } }, known);
    expect(built.ok && built.value.options).toEqual([
      {
        type: 2,
        name: 'tier',
        options: [
          {
            type: 1,
            name: 'set',
            options: [
              { type: 8, name: 'role', value: '710000000000000012' },
              { type: 3, name: 'tier', value: 'pro' },
            ],
          },
        ],
      },
    ]);
    expect(built.ok && built.value.roleIds).toEqual(['710000000000000012']);
  });

  it.each([
    [{ path: [], values: {} }, '"prompt" is required'],
    [{ path: [], values: { prompt: 'x', steps: '2.5' } }, '"steps" must be a whole number'],
    [{ path: [], values: { prompt: 'x', steps: '0' } }, '"steps" must be at least 1'],
    [{ path: [], values: { prompt: 'x'.repeat(1501) } }, '"prompt" takes at most 1500 characters'],
    [{ path: [], values: { prompt: 'x', colour: 'red' } }, '/imagine has no option "colour"'],
    [{ path: ['fast'], values: { prompt: 'x' } }, '/imagine has no subcommands'],
  ])('refuses %j for /imagine: %s', (input, error) => {
    expect(buildCommandOptions(asJson(imagine), input, known)).toEqual({ ok: false, error });
  });

  it.each([
    [{ path: ['tier', 'set'], values: { role: '999999999999999999', tier: 'pro' } }, '"role": pick a role of this server'],
    [{ path: ['tier'], values: {} }, 'choose a subcommand of /admin tier'],
    [{ path: ['tier', 'nope'], values: {} }, '/admin tier nope is not a command'],
    [{ path: [], values: {} }, 'choose a subcommand of /admin'],
  ])('refuses %j for /admin: %s', (input, error) => {
    expect(buildCommandOptions(asJson(admin), input, known)).toEqual({ ok: false, error });
  });

  it('takes a file option by the id of a file uploaded for this command, and refuses any other', () => {
    const uploaded = { ...known, attachmentIds: ['1578129737094529049'] };
    const built = buildCommandOptions(asJson(imagine), { path: [], values: { prompt: 'x', image: '1578129737094529049' } }, uploaded);
    expect(built.ok && built.value.options[1]).toEqual({ type: 11, name: 'image', value: '1578129737094529049' });
    expect(buildCommandOptions(asJson(imagine), { path: [], values: { prompt: 'x', image: '42' } }, uploaded)).toEqual({
      ok: false,
      error: '"image": choose a file to upload',
    });
  });

  it('sends the option being autocompleted as typed, marked focused, without demanding the required ones', () => {
    const built = buildCommandOptions(asJson(admin), { path: ['tier', 'set'], values: { tier: 'pr' }, focused: 'tier' }, known);
    expect(built.ok && built.value.options[0]).toMatchObject({ options: [{ options: [{ name: 'tier', value: 'pr', focused: true }] }] });
  });

  it('finds the leaf options of a path', () => {
    const leaf = optionsAt(asJson(admin), ['tier', 'set']);
    expect(leaf.ok && leaf.options.map((option) => option.name)).toEqual(['role', 'tier', 'reason']);
  });
});
