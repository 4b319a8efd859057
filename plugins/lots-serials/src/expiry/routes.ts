// Expiry settings per item (Odoo's product expiry): offsets in days from which a lot received
// without dates gets them (see projection/apply.ts). Settings that contradict themselves are
// refused by the rules library, naming the setting; nothing is stored then.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { checkExpirySettings, type ExpirySettings } from '../rules/index.js';
import { type Ctx, refuse, Uuid } from '../shared/index.js';

const Days = { type: 'integer', minimum: 0, maximum: 36_500 } as const;

export const ExpirySettingsBody = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    expirationDays: { ...Days, description: 'Days from receipt to the expiration date' },
    bestBeforeDays: { ...Days, description: 'Best before (use by) offset' },
    removalDays: { ...Days, description: 'Removal offset: FEFO order; due for removal from then' },
    alertDays: { ...Days, description: 'Alert offset: the lot is flagged from then' },
    offsetsFrom: {
      type: 'string',
      enum: ['receipt', 'expiration'],
      default: 'receipt',
      description: "'receipt': every offset from the receipt date; 'expiration': counted back from it",
    },
  },
} as const);

const ItemParams = schema({
  type: 'object',
  additionalProperties: false,
  required: ['itemId'],
  properties: { itemId: Uuid },
} as const);

const COLUMNS = `item_id as "itemId", expiration_days as "expirationDays", best_before_days as "bestBeforeDays",
  removal_days as "removalDays", alert_days as "alertDays", offsets_from as "offsetsFrom", iso(updated_at) as "updatedAt"`;

/** The item's settings as the rules library takes them (unset offsets left out), or none. */
export async function itemExpiry(ctx: Ctx, itemId: string): Promise<ExpirySettings> {
  const row = await ctx.db.one<Record<string, unknown>>(
    `select expiration_days as "expirationDays", best_before_days as "bestBeforeDays", removal_days as "removalDays",
            alert_days as "alertDays", offsets_from as "offsetsFrom"
       from item_expiry where item_id = $1`,
    [itemId],
  );
  return Object.fromEntries(Object.entries(row ?? {}).filter(([, v]) => v !== null)) as ExpirySettings;
}

const read = (ctx: Ctx, itemId: string) =>
  ctx.db.one(`select ${COLUMNS} from item_expiry where item_id = $1`, [itemId]);

export const expiryRoutes: Record<string, PluginRoute> = {
  'GET /items/:itemId/expiry': route({
    permission: 'lots-serials.lots.read',
    summary: "An item's expiry settings",
    params: ItemParams,
    async handler(ctx, { params }) {
      const { itemId } = params;
      const row = await read(ctx, itemId);
      if (!row)
        refuse(
          404,
          'EXPIRY_NOT_SET',
          'No expiry settings',
          '/params/itemId',
          'this item has no expiry settings',
        );
      return row;
    },
  }),
  'PUT /items/:itemId/expiry': route({
    permission: 'lots-serials.lots.write',
    summary: "Set an item's expiry settings (used for lots received from now on without dates)",
    params: ItemParams,
    body: ExpirySettingsBody,
    async handler(ctx, { params, body }) {
      const { itemId } = params;
      const [problem] = checkExpirySettings(body);
      if (problem)
        refuse(
          422,
          'EXPIRY_SETTINGS_CONTRADICT',
          'Expiry settings contradict',
          `/body/${problem.field}`,
          problem.message,
        );
      await ctx.db.query(
        `insert into item_expiry (item_id, expiration_days, best_before_days, removal_days, alert_days, offsets_from)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (tenant_id, item_id) do update
           set expiration_days = excluded.expiration_days, best_before_days = excluded.best_before_days,
               removal_days = excluded.removal_days, alert_days = excluded.alert_days,
               offsets_from = excluded.offsets_from, updated_at = now()`,
        [
          itemId,
          body.expirationDays ?? null,
          body.bestBeforeDays ?? null,
          body.removalDays ?? null,
          body.alertDays ?? null,
          body.offsetsFrom ?? 'receipt',
        ],
      );
      await ctx.audit.record({
        action: 'lots-serials.expiry.set',
        resource: 'item',
        resourceId: itemId,
        data: body,
      });
      return read(ctx, itemId);
    },
  }),
};
