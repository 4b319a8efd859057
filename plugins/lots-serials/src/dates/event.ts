// The lot's dates as this plugin announces them (`lots-serials.lot.dated`): warehouses keeps a copy
// to refuse a delivery of an expired lot in the issue's own transaction (it cannot ask this plugin
// while posting, and must not depend on it). `version` grows with each change of a lot's dates, so
// a subscriber keeps the highest and ignores what arrives late.
import { schema } from '@erp/sdk';
import { type Ctx, Uuid } from '../shared/index.js';

const MaybeDate = { type: ['string', 'null'], format: 'date' } as const;

export const LotDated = schema({
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'lot', 'expiresOn', 'bestBeforeOn', 'removalOn', 'alertOn', 'version'],
  properties: {
    itemId: Uuid,
    lot: { type: 'string' },
    expiresOn: MaybeDate,
    bestBeforeOn: MaybeDate,
    removalOn: MaybeDate,
    alertOn: MaybeDate,
    version: { type: 'integer', minimum: 1 },
  },
} as const);

/** Announces the lot's current dates (read in this transaction, so the version matches them). */
export async function announceLotDates(ctx: Ctx, itemId: string, lot: string): Promise<void> {
  const row = await ctx.db.one<{
    expiresOn: string | null;
    bestBeforeOn: string | null;
    removalOn: string | null;
    alertOn: string | null;
    version: number;
  }>(
    `select expires_on::text as "expiresOn", best_before_on::text as "bestBeforeOn", removal_on::text as "removalOn",
            alert_on::text as "alertOn", dates_version as version
       from lots where item_id = $1 and code = $2`,
    [itemId, lot],
  );
  if (!row || row.version < 1) return;
  await ctx.events.publish('lot.dated', { itemId, lot, ...row });
}
