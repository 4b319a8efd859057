// Properties of the rules library on random histories (fast-check): a serial is never in two
// places, the register does not depend on the order moves are learnt in, a cancel restores the state
// before the cancelled move, FEFO is a total order consistent with removal dates, and trace up and
// trace down are inverse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fefoOrder,
  type SerialMove,
  serialState,
  type TraceMove,
  traceDown,
  traceUp,
} from '../../src/rules/index.js';

const SERIALS = ['S1', 'S2', 'S3'];
const LOCATIONS = ['A1', 'A2', 'B1'];

/** A valid ledger for a few serials: each step moves one serial in (if out) or out (if in). */
const ledger = fc
  .array(
    fc.record({
      serial: fc.constantFrom(...SERIALS),
      loc: fc.constantFrom(...LOCATIONS),
      sale: fc.boolean(),
    }),
    {
      maxLength: 30,
    },
  )
  .map((steps) => {
    const inStock = new Map<string, boolean>();
    return steps.map(({ serial, loc, sale }, i): SerialMove & { serial: string } => {
      const into = !inStock.get(serial);
      inStock.set(serial, into);
      return {
        serial,
        moveId: `m${i}`,
        seq: i + 1,
        kind: into ? (sale ? 'customer-return' : 'receipt') : sale ? 'issue' : 'transfer-out',
        direction: into ? 'in' : 'out',
        documentId: `d${i}`,
        warehouseId: 'W',
        locationId: loc,
        effectiveAt: '2025-01-01T00:00:00.000Z',
      };
    });
  });

describe('rules properties', () => {
  it('a serial is in at most one place, and the register is independent of arrival order', () => {
    fc.assert(
      fc.property(ledger, fc.infiniteStream(fc.nat()), (moves, noise) => {
        for (const s of SERIALS) {
          const own = moves.filter((m) => m.serial === s);
          const state = serialState(own);
          const last = own.at(-1);
          // where it is = where its latest move put it, or nowhere
          expect(state.inStock ? [state.locationId] : []).toEqual(
            last?.direction === 'in' ? [last.locationId] : [],
          );
          const shuffled = [...own].sort(() => (noise.next().value % 3) - 1);
          expect(serialState(shuffled)).toEqual(state);
        }
      }),
    );
  });

  it('cancelling the latest move of a serial gives back the state before it', () => {
    fc.assert(
      fc.property(ledger, (moves) => {
        for (const s of SERIALS) {
          const own = moves.filter((m) => m.serial === s);
          const last = own.at(-1);
          if (!last) continue;
          const cancel: SerialMove = {
            ...last,
            moveId: `x${last.moveId}`,
            seq: 1000,
            kind: 'cancel',
            direction: last.direction === 'in' ? 'out' : 'in',
            cancels: last.moveId,
          };
          expect(serialState([...own, cancel])).toEqual(serialState(own.slice(0, -1)));
        }
      }),
    );
  });

  const day = fc
    .integer({ min: 0, max: 400 })
    .map((n) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
  const lots = fc.uniqueArray(
    fc.record({
      code: fc.string({ minLength: 1, maxLength: 3 }),
      receivedOn: day,
      removalOn: fc.option(day, { nil: undefined }),
      expiresOn: fc.option(day, { nil: undefined }),
    }),
    { selector: (l) => l.code, maxLength: 12 },
  );

  it('FEFO is a total order consistent with removal dates, whatever order lots come in', () => {
    fc.assert(
      fc.property(lots, (ls) => {
        const ordered = fefoOrder(ls);
        expect(fefoOrder([...ls].reverse())).toEqual(ordered);
        const key = (l: (typeof ls)[number]) => l.removalOn ?? l.expiresOn ?? '9999-99-99';
        for (let i = 1; i < ordered.length; i++) expect(key(ordered[i - 1]!) <= key(ordered[i]!)).toBe(true);
      }),
    );
  });

  const history = fc
    .array(
      fc.record({
        doc: fc.constantFrom('R1', 'R2', 'R3', 'C1', 'D1', 'D2', 'D3'),
        lot: fc.constantFrom('L1', 'L2', 'L3'),
        cancel: fc.boolean(),
      }),
      { maxLength: 25 },
    )
    .map((rows) =>
      rows.flatMap(({ doc, lot, cancel }, i): TraceMove[] => {
        const kind = doc.startsWith('R') ? 'receipt' : doc.startsWith('C') ? 'customer-return' : 'issue';
        const move: TraceMove = {
          moveId: `m${i}`,
          seq: i,
          kind,
          documentId: doc,
          itemId: 'I',
          lot,
          serials: [],
        };
        return cancel
          ? [
              move,
              {
                ...move,
                moveId: `x${i}`,
                seq: 100 + i,
                kind: 'cancel',
                documentId: `X${i}`,
                cancels: move.moveId,
              },
            ]
          : [move];
      }),
    );

  it('trace up and trace down are inverse: D is downstream of R exactly when R is upstream of D', () => {
    fc.assert(
      fc.property(history, (moves) => {
        const docs = [...new Set(moves.map((m) => m.documentId))];
        for (const r of docs)
          for (const d of docs) {
            const down = traceDown(moves, r).some((l) => l.documentId === d);
            const up = traceUp(moves, d).some((l) => l.documentId === r);
            expect(down).toBe(up);
          }
      }),
    );
  });
});
