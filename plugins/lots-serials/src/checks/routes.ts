// Checks a receipt or a delivery before it is posted to warehouses, with this plugin's rules (the
// rules library) and what it knows: the serial register and the lots' expiry dates. Plugins talk by
// events, so lots-serials cannot refuse a warehouses move as it is posted; warehouses enforces the
// serial rules at the move, and this is where a client (the shell's delivery screen, an
// integration) asks first: a lot past its alert or removal date is allowed with a warning; an
// expired lot is refused unless the tenant allows delivering expired lots (config
// `allowExpiredDelivery`), and then the answer says so; a serial not in stock, or listed twice, is
// refused naming it. Once posted, a move out of a lot past its alert date is flagged on the move
// (`expiryStatus` in /moves and the traces). Changes nothing.
import { type Infer, type PluginRoute, route, schema } from '@erp/sdk';
import { itemExpiry } from '../expiry/index.js';
import {
  canDeliver,
  checkDelivery,
  checkReceipt,
  type LotDates,
  lotDates,
  type SerialProblem,
  type SerialState,
} from '../rules/index.js';
import { Code, type Ctx, DateOnly, refuse, today, Uuid } from '../shared/index.js';

export const MoveCheck = schema({
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'itemId', 'lines'],
  properties: {
    kind: { type: 'string', enum: ['receipt', 'delivery'] },
    itemId: Uuid,
    warehouseId: Uuid,
    on: { ...DateOnly, description: 'Day of the move; default today' },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          locationId: Uuid,
          lot: Code,
          lotExpiresOn: DateOnly,
          serials: { type: 'array', maxItems: 10_000, items: Code },
        },
      },
    },
  },
} as const);

type Line = Infer<typeof MoveCheck>['lines'][number];

async function serialProblems(
  ctx: Ctx,
  itemId: string,
  kind: string,
  warehouseId: string | undefined,
  lines: readonly Line[],
) {
  const all = lines.flatMap((l, line) =>
    (l.serials ?? []).map((serial, i) => ({ serial, line, i, locationId: l.locationId })),
  );
  if (!all.length) return;
  const rows = await ctx.db.query<
    Pick<SerialState, 'inStock' | 'warehouseId' | 'locationId'> & { serial: string }
  >(
    `select serial, in_stock as "inStock", warehouse_id as "warehouseId", location_id as "locationId"
       from serials where item_id = $1 and serial = any($2::text[])`,
    [itemId, all.map((a) => a.serial)],
  );
  const register = new Map(rows.map((r) => [r.serial, r]));
  const lookup = (s: string) => register.get(s);
  const serials = all.map((a) => a.serial);
  let problems: SerialProblem[] =
    kind === 'receipt' ? checkReceipt(serials, lookup) : checkDelivery(serials, lookup, { warehouseId });
  if (kind === 'delivery' && !problems.length)
    // A line taking serials from a location: each must be there.
    problems = all.flatMap((a, index) =>
      a.locationId
        ? checkDelivery([a.serial], lookup, { locationId: a.locationId }).map((p) => ({ ...p, index }))
        : [],
    );
  const first = problems[0];
  if (!first) return;
  const at = all[first.index]!;
  refuse(422, first.code, 'Serial refused', `/body/lines/${at.line}/serials/${at.i}`, first.message);
}

async function lotsOf(ctx: Ctx, itemId: string, lines: readonly Line[]) {
  const codes = lines.flatMap((l) => (l.lot ? [l.lot] : []));
  const rows = await ctx.db.query<LotDates & { code: string }>(
    `select code, expires_on::text as "expiresOn", best_before_on::text as "bestBeforeOn",
            removal_on::text as "removalOn", alert_on::text as "alertOn"
       from lots where item_id = $1 and code = any($2::text[])`,
    [itemId, codes],
  );
  return new Map(rows.map((r) => [r.code, r]));
}

export const checkRoutes: Record<string, PluginRoute> = {
  'POST /checks': route({
    permission: 'lots-serials.lots.read',
    summary: 'Check a receipt or delivery against the serial register and the lots’ expiry before posting it',
    body: MoveCheck,
    async handler(ctx, { body }) {
      const on = body.on ?? today();
      await serialProblems(ctx, body.itemId, body.kind, body.warehouseId, body.lines);
      const lots = await lotsOf(ctx, body.itemId, body.lines);
      if (body.kind === 'receipt') {
        const settings = await itemExpiry(ctx, body.itemId);
        // The dates each lot will carry: those it has, else those given, else computed.
        const lines = body.lines.map((l) => ({
          lot: l.lot ?? null,
          dates: l.lot
            ? (lots.get(l.lot) ?? lotDates(on, settings, l.lotExpiresOn ? { expiresOn: l.lotExpiresOn } : {}))
            : null,
        }));
        return { kind: body.kind, itemId: body.itemId, on, allowed: true, lines, warnings: [] };
      }
      const allowExpired = ctx.config.allowExpiredDelivery === true;
      const lines = body.lines.map((l, i) => {
        const dates = l.lot ? lots.get(l.lot) : undefined;
        if (l.lot && !dates)
          refuse(
            422,
            'LOT_UNKNOWN',
            'Lot not known',
            `/body/lines/${i}/lot`,
            `no lot ${l.lot} of this item has been received`,
          );
        const decision = dates
          ? canDeliver(dates, on, allowExpired)
          : { allowed: true, status: 'ok' as const };
        if (!decision.allowed)
          refuse(
            422,
            'LOT_EXPIRED',
            'Lot expired',
            `/body/lines/${i}/lot`,
            `${decision.warning}; this tenant does not deliver expired lots`,
          );
        return { lot: l.lot ?? null, ...decision };
      });
      const warnings = lines.flatMap((l) => ('warning' in l && l.warning ? [`${l.lot}: ${l.warning}`] : []));
      return { kind: body.kind, itemId: body.itemId, on, allowed: true, lines, warnings };
    },
  }),
};
