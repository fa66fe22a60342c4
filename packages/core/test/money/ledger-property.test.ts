import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLedger, createMemoryStateStore, type LedgerContext, type LedgerReservation } from '../../src/index';

const T0 = Date.UTC(2026, 10, 30, 12);
const TTL = 60_000;
const TENANT_LIMIT = 1_000;
const USER_LIMIT = 600;
const ctx: LedgerContext = { tenantId: 'acme', userId: 'u1', provider: 'openai', billingSource: 'platform' };

type Op =
  | { op: 'reserve'; amount: number }
  | { op: 'settle'; pick: number; fraction: number }
  | { op: 'refund'; pick: number }
  | { op: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('reserve' as const), amount: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ op: fc.constant('settle' as const), pick: fc.nat(), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ op: fc.constant('refund' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 2 * TTL }) }),
);

describe('ledger: property — any interleaving of reserve, settle, refund and expiry', () => {
  it('the settled total equals the sum of settled records and never exceeds a hard limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 25 }), async (batches) => {
        const ledger = createLedger({
          stateStore: createMemoryStateStore(),
          reservationTtlMs: TTL,
          limits: [
            { id: 'tenant', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: TENANT_LIMIT },
            { id: 'user', scope: 'user', window: { type: 'day' }, unit: 'tokens', limit: USER_LIMIT },
          ],
        });
        let now = T0;
        let seq = 0;
        const live: { reservation: LedgerReservation; amount: number; expiresAt: number }[] = [];
        const finished = new Set<LedgerReservation>();
        let settledSum = 0;
        let lateSettle = false;

        for (const batch of batches) {
          // Every op of a batch starts before any finishes: their store calls interleave.
          await Promise.all(
            batch.map(async (op) => {
              if (op.op === 'advance') {
                now += op.ms;
                return;
              }
              if (op.op === 'reserve') {
                const at = now;
                try {
                  const reservation = await ledger.reserve(ctx, { tokens: op.amount, requests: 1 }, { now: at, reservationId: `r${seq++}` });
                  live.push({ reservation, amount: op.amount, expiresAt: at + TTL });
                } catch (error) {
                  expect((error as { reason?: string }).reason).toBe('limit_exceeded');
                }
                return;
              }
              if (live.length === 0) return;
              const entry = live[op.pick % live.length]!;
              if (finished.has(entry.reservation)) return;
              finished.add(entry.reservation);
              if (op.op === 'refund') return entry.reservation.refund({ now });
              const actual = Math.floor(entry.amount * op.fraction);
              if (now >= entry.expiresAt) lateSettle = true;
              settledSum += actual;
              await entry.reservation.settle({ tokens: actual, requests: 1 }, { now });
            }),
          );
          const status = await ledger.status(ctx, { now });
          for (const s of status) {
            expect(s.used).toBe(settledSum);
            // A settle after its reservation expired records the truth even past the limit; otherwise never.
            if (!lateSettle) expect(s.used + s.reserved).toBeLessThanOrEqual(s.limit.limit);
          }
        }
      }),
      { numRuns: 300, seed: 1_234 },
    );
  });
});
