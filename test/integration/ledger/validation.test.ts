import { describe, expect, it } from 'vitest';
import type { HoldId } from '../../../src/use-cases/ports/ledger.js';
import { uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const guildId = 'guild-validation';
const f = useLedger();

async function rowCounts() {
  const { rows } = await f.database.sql.query(
    `SELECT (SELECT count(*) FROM credit_lot)::int AS lots, (SELECT count(*) FROM credit_hold)::int AS holds, (SELECT count(*) FROM ledger_entry)::int AS entries`,
  );
  return rows[0];
}

describe('bad input changes nothing and says which field is wrong', () => {
  it.each([
    ['amount', { amount: 0 }],
    ['amount', { amount: -5 }],
    ['amount', { amount: 1.5 }],
    ['amount', { amount: Number.NaN }],
    ['amount', { amount: 1e12 }],
    ['key', { key: '' }],
    ['userId', { userId: '   ' }],
    ['guildId', { kind: 'topup', guildId: 'guild-1' }],
    ['guildId', { kind: 'grant', guildId: null }],
    ['kind', { kind: 'bonus' }],
    ['expiresAt', { expiresAt: new Date('nope') }],
  ])('grant refuses a bad %s', async (field, patch) => {
    const before = await rowCounts();
    const result = await f.ledger.grant({
      key: 'k',
      userId: uniqueUser(),
      guildId,
      kind: 'grant',
      amount: 10,
      expiresAt: null,
      actorId: 'admin',
      reason: 'r',
      ...(patch as object),
    });
    expect(result.ok ? 'ok' : result.error).toMatchObject({ code: 'invalid_input', field });
    expect(await rowCounts()).toEqual(before);
  });

  it.each([
    ['amount', { amount: 0 }],
    ['amount', { amount: 2 ** 31 }],
    ['guildId', { guildId: '' }],
  ])('hold refuses a bad %s', async (field, patch) => {
    const before = await rowCounts();
    const result = await f.ledger.hold({ key: 'k', userId: uniqueUser(), guildId, amount: 10, actorId: 'u', reason: 'r', ...patch });
    expect(result.ok ? 'ok' : result.error).toMatchObject({ code: 'invalid_input', field });
    expect(await rowCounts()).toEqual(before);
  });

  it('settle refuses a negative capture', async () => {
    const result = await f.ledger.settle({ holdId: '00000000-0000-4000-8000-000000000000' as HoldId, capture: -1, actorId: 'w', reason: 'r' });
    expect(result.ok ? 'ok' : result.error).toMatchObject({ code: 'invalid_input', field: 'capture' });
  });

  it('a hold key reused for a different amount is refused, not silently replayed', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({ key: `g:${userId}`, userId, guildId, kind: 'grant', amount: 100, expiresAt: null, actorId: 'admin', reason: 'gift' });
    expect((await f.ledger.hold({ key: `q:${userId}`, userId, guildId, amount: 10, actorId: userId, reason: 'job' })).ok).toBe(true);
    const reused = await f.ledger.hold({ key: `q:${userId}`, userId, guildId, amount: 20, actorId: userId, reason: 'job' });
    expect(reused).toEqual({ ok: false, error: { code: 'idempotency_key_reused', key: `q:${userId}` } });
    expect((await f.ledger.balance(userId, guildId)).available).toBe(90);
  });

  it('an insufficient hold says what was needed and what was there', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({ key: `g:${userId}`, userId, guildId, kind: 'grant', amount: 12, expiresAt: null, actorId: 'admin', reason: 'gift' });
    const before = await rowCounts();
    expect(await f.ledger.hold({ key: `big:${userId}`, userId, guildId, amount: 13, actorId: userId, reason: 'job' })).toEqual({
      ok: false,
      error: { code: 'insufficient_credits', needed: 13, available: 12 },
    });
    expect(await rowCounts()).toEqual(before);
    // The same key can go through once the member can afford it.
    await f.ledger.grant({ key: `g2:${userId}`, userId, guildId, kind: 'grant', amount: 1, expiresAt: null, actorId: 'admin', reason: 'gift' });
    expect((await f.ledger.hold({ key: `big:${userId}`, userId, guildId, amount: 13, actorId: userId, reason: 'job' })).ok).toBe(true);
  });

  it('the database refuses to rewrite ledger history', async () => {
    await expect(f.database.sql.query(`UPDATE ledger_entry SET delta_available = 0`)).rejects.toThrow(/append-only/);
    await expect(f.database.sql.query(`DELETE FROM ledger_entry`)).rejects.toThrow(/append-only/);
    await expect(f.database.sql.query(`DELETE FROM credit_lot`)).rejects.toThrow(/never deleted/);
    await expect(f.database.sql.query(`DELETE FROM credit_hold`)).rejects.toThrow(/never deleted/);
  });

  it('the database refuses a lot driven below zero even by a buggy writer', async () => {
    const userId = uniqueUser();
    await f.ledger.grant({ key: `g:${userId}`, userId, guildId, kind: 'grant', amount: 5, expiresAt: null, actorId: 'admin', reason: 'gift' });
    await expect(f.database.sql.query(`UPDATE credit_lot SET remaining = remaining - 6 WHERE user_id = $1`, [userId])).rejects.toThrow(
      /credit_lot_remaining_within_amount/,
    );
  });
});

describe('idempotency keys are per operation', () => {
  it('the same key string used for a grant, a hold and a revoke names three different operations', async () => {
    const userId = uniqueUser();
    const key = `shared:${userId}`;
    expect((await f.ledger.grant({ key, userId, guildId, kind: 'grant', amount: 50, expiresAt: null, actorId: 'admin', reason: 'gift' })).ok).toBe(true);
    expect((await f.ledger.hold({ key, userId, guildId, amount: 10, actorId: userId, reason: 'job' })).ok).toBe(true);
    expect(await f.ledger.revoke({ key, userId, guildId, amount: 5, kinds: ['grant'], actorId: 'admin', reason: 'x' })).toEqual({
      ok: true,
      value: { revoked: 5, replayed: false },
    });
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 35, held: 10 });
  });
});
