import { describe, expect, it } from 'vitest';
import { budgetPermission } from '../../../../src/domain/spending/budget-permission.js';
import { budgetStatus, formatBudgetAmount, parseBudgetAmount, reachedThresholds } from '../../../../src/domain/spending/budget.js';
import { parseCap } from '../../../../src/domain/spending/caps.js';
import { estimateProviderUsd } from '../../../../src/domain/spending/provider-usd.js';
import { serverCapsFor, type ServerCapRule } from '../../../../src/domain/spending/server-caps.js';

const guildId = 'g';
const role = (subjectId: string, daily: number | null, monthly: number | null): ServerCapRule => ({ kind: 'role', subjectId, daily, monthly });
const member = (subjectId: string, daily: number | null, monthly: number | null): ServerCapRule => ({ kind: 'member', subjectId, daily, monthly });

describe('serverCapsFor', () => {
  it('has no caps without rules', () => {
    expect(serverCapsFor([], { userId: 'u', guildId, roleIds: ['r'] })).toEqual({ daily: null, monthly: null });
  });

  it('applies @everyone (the guild id) to every member, even one whose roles the payload leaves it out of', () => {
    expect(serverCapsFor([role(guildId, 50, null)], { userId: 'u', guildId, roleIds: [] })).toEqual({ daily: 50, monthly: null });
  });

  it('takes the most generous cap among the member’s roles, per period; roles the member lacks do not count', () => {
    const rules = [role(guildId, 50, 500), role('trusted', 200, null), role('vip', null, 2000), role('other', 1000, 9000)];
    expect(serverCapsFor(rules, { userId: 'u', guildId, roleIds: ['trusted', 'vip'] })).toEqual({ daily: 200, monthly: 2000 });
  });

  it('lets a member’s own rule replace their roles’ caps entirely; null there exempts', () => {
    const rules = [role(guildId, 50, 500), member('u', null, 100)];
    expect(serverCapsFor(rules, { userId: 'u', guildId, roleIds: [] })).toEqual({ daily: null, monthly: 100 });
    expect(serverCapsFor(rules, { userId: 'someone-else', guildId, roleIds: [] })).toEqual({ daily: 50, monthly: 500 });
  });
});

describe('parseCap', () => {
  it.each([
    ['0', 0],
    ['50', 50],
    [' 1,000 ', 1000],
    ['1000000', 1_000_000],
    ['off', null],
    ['None', null],
  ])('reads %j as %j', (text, value) => {
    expect(parseCap(text)).toEqual({ ok: true, value });
  });

  it.each(['-5', '1000001', 'abc', '2.5', '1e3', ''])('refuses %j', (text) => {
    expect(parseCap(text).ok).toBe(false);
  });
});

describe('parseBudgetAmount', () => {
  it('reads credits and dollars', () => {
    expect(parseBudgetAmount('5000')).toEqual({ ok: true, unit: 'credits', amount: 5000 });
    expect(parseBudgetAmount('5,000 credits')).toEqual({ ok: true, unit: 'credits', amount: 5000 });
    expect(parseBudgetAmount('$25')).toEqual({ ok: true, unit: 'usd', amount: 25 });
    expect(parseBudgetAmount('12.50 usd')).toEqual({ ok: true, unit: 'usd', amount: 12.5 });
  });

  it('refuses nonsense, zero or less, fractions of cents and credits, and more than the sane maximum', () => {
    expect(parseBudgetAmount('abc')).toEqual({ ok: false, problem: { code: 'not_a_number' } });
    expect(parseBudgetAmount('-5')).toEqual({ ok: false, problem: { code: 'not_a_number' } });
    expect(parseBudgetAmount('0')).toEqual({ ok: false, problem: { code: 'too_small' } });
    expect(parseBudgetAmount('$0.001').ok).toBe(false);
    expect(parseBudgetAmount('10.5').ok).toBe(false);
    expect(parseBudgetAmount('100000000')).toMatchObject({ ok: true });
    expect(parseBudgetAmount('100000001')).toEqual({ ok: false, problem: { code: 'too_large', maximum: 100_000_000 } });
    expect(parseBudgetAmount('$1000000.01')).toEqual({ ok: false, problem: { code: 'too_large', maximum: 1_000_000 } });
  });
});

describe('budget arithmetic', () => {
  it('says what is left and how far along, never below zero', () => {
    expect(budgetStatus({ monthly: 1000 }, 799)).toEqual({ spent: 799, left: 201, percent: 79 });
    expect(budgetStatus({ monthly: 1000 }, 1200)).toEqual({ spent: 1200, left: 0, percent: 120 });
  });

  it('reaches 80% and 100% at exactly n, not at n − 1', () => {
    expect(reachedThresholds(1000, 799)).toEqual([]);
    expect(reachedThresholds(1000, 800)).toEqual([80]);
    expect(reachedThresholds(1000, 999)).toEqual([80]);
    expect(reachedThresholds(1000, 1000)).toEqual([80, 100]);
  });

  it('formats both units', () => {
    expect(formatBudgetAmount('credits', 12345)).toBe('12,345 credits');
    expect(formatBudgetAmount('usd', 12.5)).toBe('$12.50');
  });
});

describe('budgetPermission', () => {
  const policy = { ownerIds: ['operator'], guildOwnersMaySetBudget: false };
  it('always lets the operator, as the operator', () => {
    expect(budgetPermission(policy, { actorId: 'operator', guildOwnerId: 'owner' }, { setByOperator: true })).toEqual({ allowed: true, asOperator: true });
  });
  it('refuses admins who do not own the server, and owners unless the operator allows them', () => {
    expect(budgetPermission(policy, { actorId: 'admin', guildOwnerId: 'owner' }, null)).toEqual({ allowed: false, reason: 'not_owner' });
    expect(budgetPermission(policy, { actorId: 'owner', guildOwnerId: null }, null)).toEqual({ allowed: false, reason: 'not_owner' });
    expect(budgetPermission(policy, { actorId: 'owner', guildOwnerId: 'owner' }, null)).toEqual({ allowed: false, reason: 'owners_not_allowed' });
  });
  it('lets an allowed owner set one, but never change the operator’s', () => {
    const allowing = { ...policy, guildOwnersMaySetBudget: true };
    expect(budgetPermission(allowing, { actorId: 'owner', guildOwnerId: 'owner' }, { setByOperator: false })).toEqual({ allowed: true, asOperator: false });
    expect(budgetPermission(allowing, { actorId: 'owner', guildOwnerId: 'owner' }, { setByOperator: true })).toEqual({
      allowed: false,
      reason: 'operator_set',
    });
  });
});

describe('estimateProviderUsd', () => {
  it('uses the model’s dollars per image when the card states them', () => {
    expect(estimateProviderUsd({ usdPerImage: 0.003, count: 4, listPrice: 10, creditsPerDollar: 100 })).toBe(0.012);
  });
  it('falls back to the list price at the card’s rate, rounded up to the micro-dollar', () => {
    expect(estimateProviderUsd({ count: 1, listPrice: 7, creditsPerDollar: 100 })).toBe(0.07);
    expect(estimateProviderUsd({ count: 1, listPrice: 1, creditsPerDollar: 3 })).toBe(0.333334);
  });
});
