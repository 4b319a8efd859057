// Lots: listed with their expiry and on-hand (the sum of their tracked moves), corrected by hand
// (expiry, manufacture date, the supplier's lot number), and picked first-expired-first-out.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { announceLotDates } from '../dates/index.js';
import { expiryStatus, type LotDates } from '../rules/index.js';
import { Code, type Ctx, DateOnly, LotParams, refuse, today, Uuid } from '../shared/index.js';
import { FefoQuery, fefo } from './fefo.js';

const LotQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    itemId: Uuid,
    expiringBefore: { ...DateOnly, description: 'Only lots expiring before this date' },
    status: { type: 'string', enum: ['active', 'recalled'] },
    inStock: { type: 'boolean', default: false },
  },
} as const);

const LotPatch = schema({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    expiresOn: DateOnly,
    bestBeforeOn: DateOnly,
    removalOn: DateOnly,
    alertOn: DateOnly,
    manufacturedOn: DateOnly,
    supplierLot: Code,
    note: { type: 'string', maxLength: 2000 },
  },
} as const);

const LOT_COLUMNS = `l.item_id as "itemId", l.sku, l.code, l.expires_on::text as "expiresOn",
  l.best_before_on::text as "bestBeforeOn", l.removal_on::text as "removalOn", l.alert_on::text as "alertOn",
  l.dates_source as "datesSource",
  l.manufactured_on::text as "manufacturedOn", l.supplier_lot as "supplierLot", l.note, l.status,
  iso(l.first_received_at) as "firstReceivedAt",
  (select trim_scale(coalesce(sum(t.qty), 0))::text from tracked_moves t where t.item_id = l.item_id and t.lot = l.code) as "onHand"`;

/** A lot's expiry state today (rules/expiryStatus): ok, alert, removal or expired. */
const flagged = <T extends Partial<LotDates>>(lot: T, on = today()) => ({
  ...lot,
  expiryStatus: expiryStatus(lot, on),
});

export async function readLot(ctx: Ctx, itemId: string, code: string, field = '/params/code') {
  const lot = await ctx.db.one(`select ${LOT_COLUMNS} from lots l where l.item_id = $1 and l.code = $2`, [
    itemId,
    code,
  ]);
  if (!lot)
    refuse(404, 'LOT_NOT_FOUND', 'Lot not found', field, `no lot ${code} of this item has been received`);
  const locations = await ctx.db.query(
    `select warehouse_id as "warehouseId", location_id as "locationId", trim_scale(sum(qty))::text as qty
       from tracked_moves where item_id = $1 and lot = $2 group by warehouse_id, location_id having sum(qty) <> 0
      order by warehouse_id, location_id`,
    [itemId, code],
  );
  return { ...flagged(lot as Partial<LotDates>), locations };
}

export const lotRoutes: Record<string, PluginRoute> = {
  'GET /lots': route({
    permission: 'lots-serials.lots.read',
    summary: 'Lots with expiry and on-hand, soonest expiry first',
    query: LotQuery,
    async handler(ctx, { query }) {
      const lots = await ctx.db.query<{ onHand: string }>(
        `select * from (select ${LOT_COLUMNS} from lots l
          where ($1::uuid is null or l.item_id = $1) and ($2::date is null or l.expires_on < $2)
            and ($3::text is null or l.status = $3)) x
          where not $4::boolean or x."onHand"::numeric > 0
          order by x."expiresOn" nulls last, x."firstReceivedAt", x.code`,
        [query.itemId ?? null, query.expiringBefore ?? null, query.status ?? null, query.inStock ?? false],
      );
      return { lots: lots.map((l) => flagged(l as Partial<LotDates>)) };
    },
  }),
  'GET /lots/:itemId/:code': route({
    permission: 'lots-serials.lots.read',
    params: LotParams,
    handler: (ctx, { params }) => readLot(ctx, params.itemId, params.code),
  }),
  'PATCH /lots/:itemId/:code': route({
    permission: 'lots-serials.lots.write',
    summary: "Correct a lot's expiry, manufacture date, supplier lot number or note",
    params: LotParams,
    body: LotPatch,
    async handler(ctx, { params, body }) {
      await readLot(ctx, params.itemId, params.code);
      const dates = await ctx.db.one<{ ok: boolean }>(
        `select coalesce($3::date, manufactured_on) is null or coalesce($4::date, expires_on) is null
                or coalesce($3::date, manufactured_on) <= coalesce($4::date, expires_on) as ok
           from lots where item_id = $1 and code = $2`,
        [params.itemId, params.code, body.manufacturedOn ?? null, body.expiresOn ?? null],
      );
      if (!dates!.ok)
        refuse(
          422,
          'EXPIRY_BEFORE_MANUFACTURE',
          'Expiry before manufacture',
          body.expiresOn ? '/body/expiresOn' : '/body/manufacturedOn',
          'the lot would expire before it was made',
        );
      await ctx.db.query(
        `update lots set expires_on = coalesce($3, expires_on), manufactured_on = coalesce($4, manufactured_on),
                supplier_lot = coalesce($5, supplier_lot), note = coalesce($6, note),
                best_before_on = coalesce($7, best_before_on), removal_on = coalesce($8, removal_on),
                alert_on = coalesce($9, alert_on),
                dates_source = case when $3::date is null and $7::date is null and $8::date is null and $9::date is null
                                    then dates_source else 'manual' end,
                dates_version = dates_version
                  + case when row(expires_on, best_before_on, removal_on, alert_on)
                              is distinct from row(coalesce($3, expires_on), coalesce($7, best_before_on),
                                                   coalesce($8, removal_on), coalesce($9, alert_on))
                         then 1 else 0 end
          where item_id = $1 and code = $2`,
        [
          params.itemId,
          params.code,
          body.expiresOn ?? null,
          body.manufacturedOn ?? null,
          body.supplierLot ?? null,
          body.note ?? null,
          body.bestBeforeOn ?? null,
          body.removalOn ?? null,
          body.alertOn ?? null,
        ],
      );
      await announceLotDates(ctx, params.itemId, params.code);
      await ctx.audit.record({
        action: 'lots-serials.lot.changed',
        resource: 'lot',
        resourceId: `${params.itemId}/${params.code}`,
        data: body,
      });
      return readLot(ctx, params.itemId, params.code);
    },
  }),
  'GET /fefo': route({
    permission: 'lots-serials.lots.read',
    summary: 'Which lots to pick for a quantity: earliest expiry first, then earliest arrival',
    query: FefoQuery,
    handler: (ctx, { query }) => fefo(ctx, query),
  }),
};
