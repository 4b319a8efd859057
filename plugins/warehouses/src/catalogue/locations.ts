// Warehouses and their locations: a tree per warehouse. A location can hold stock and contain
// other locations (an aisle, a cold room); a bin holds stock and is always a leaf. Parents never
// change, so the materialised path stays true and a subtree is a prefix match.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { type Ctx, IdParams, notFound, refuse, Uuid } from '../shared/index.js';

export interface LocationRow {
  id: string;
  warehouseId: string;
  parentId: string | null;
  code: string;
  name: string;
  kind: 'location' | 'bin';
  path: string;
  codePath: string;
  /** Set where a message names the place: location codes repeat across warehouses. */
  warehouseCode?: string;
}

/** "A1 in warehouse W1": how refusals name a location. */
export const placeOf = (l: LocationRow) =>
  l.warehouseCode ? `${l.codePath} in warehouse ${l.warehouseCode}` : l.codePath;

const LOCATION_COLUMNS = `l.id, l.warehouse_id as "warehouseId", l.parent_id as "parentId", l.code, l.name, l.kind,
  l.path, l.code_path as "codePath"`;

const CodeText = {
  type: 'string',
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
} as const;

const NewWarehouse = schema({
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name'],
  properties: { code: CodeText, name: { type: 'string', minLength: 1, maxLength: 200 } },
} as const);

const NewLocation = schema({
  type: 'object',
  additionalProperties: false,
  required: ['warehouseId', 'code', 'name'],
  properties: {
    warehouseId: Uuid,
    parentId: Uuid,
    code: CodeText,
    name: { type: 'string', minLength: 1, maxLength: 200 },
    kind: { type: 'string', enum: ['location', 'bin'], default: 'location' },
  },
} as const);

const LocationQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: { warehouseId: Uuid, parentId: Uuid },
} as const);

export async function findLocation(ctx: Ctx, id: string): Promise<LocationRow | null> {
  return ctx.db.one<LocationRow>(`select ${LOCATION_COLUMNS} from locations l where l.id = $1`, [id]);
}

export const locationRoutes: Record<string, PluginRoute> = {
  'GET /warehouses': route({
    permission: 'warehouses.locations.read',
    async handler(ctx) {
      const warehouses = await ctx.db.query(
        `select w.id, w.code, w.name, iso(w.created_at) as "createdAt",
                (select count(*)::int from locations l where l.warehouse_id = w.id) as locations
           from warehouses w order by w.code`,
      );
      return { warehouses };
    },
  }),
  'GET /warehouses/:id': route({
    permission: 'warehouses.locations.read',
    summary: 'A warehouse with its locations in tree order',
    params: IdParams,
    async handler(ctx, { params }) {
      const w = await ctx.db.one(
        `select id, code, name, iso(created_at) as "createdAt" from warehouses where id = $1`,
        [params.id],
      );
      if (!w) notFound('Warehouse', '/params/id');
      const locations = await ctx.db.query(
        `select ${LOCATION_COLUMNS} from locations l where l.warehouse_id = $1 order by l.code_path`,
        [params.id],
      );
      return { ...w, locations };
    },
  }),
  'POST /warehouses': route({
    permission: 'warehouses.locations.write',
    body: NewWarehouse,
    status: 201,
    async handler(ctx, { body }) {
      const w = await ctx.db.one<{ id: string }>(
        `insert into warehouses (code, name) values ($1, $2) on conflict do nothing
         returning id, code, name, iso(created_at) as "createdAt"`,
        [body.code, body.name],
      );
      if (!w)
        refuse(
          409,
          'WAREHOUSE_CODE_TAKEN',
          'Warehouse code already used',
          '/body/code',
          `${body.code} exists`,
        );
      await ctx.audit.record({
        action: 'warehouses.warehouse.created',
        resource: 'warehouse',
        resourceId: w.id,
        data: body,
      });
      return w;
    },
  }),
  'GET /locations': route({
    permission: 'warehouses.locations.read',
    query: LocationQuery,
    async handler(ctx, { query }) {
      const locations = await ctx.db.query(
        `select ${LOCATION_COLUMNS} from locations l
          where ($1::uuid is null or l.warehouse_id = $1) and ($2::uuid is null or l.parent_id = $2)
          order by l.warehouse_id, l.code_path`,
        [query.warehouseId ?? null, query.parentId ?? null],
      );
      return { locations };
    },
  }),
  'GET /locations/:id': route({
    permission: 'warehouses.locations.read',
    params: IdParams,
    async handler(ctx, { params }) {
      return (await findLocation(ctx, params.id)) ?? notFound('Location', '/params/id');
    },
  }),
  'POST /locations': route({
    permission: 'warehouses.locations.write',
    summary: 'Create a location or bin, at the top of a warehouse or inside a location',
    body: NewLocation,
    status: 201,
    async handler(ctx, { body }) {
      const w = await ctx.db.one('select id from warehouses where id = $1', [body.warehouseId]);
      if (!w) refuse(422, 'WAREHOUSE_UNKNOWN', 'Unknown warehouse', '/body/warehouseId', 'no such warehouse');
      let parentPath = '/';
      let parentCodes = '';
      if (body.parentId) {
        const parent = await findLocation(ctx, body.parentId);
        if (!parent)
          refuse(422, 'LOCATION_UNKNOWN', 'Unknown location', '/body/parentId', 'no such location');
        if (parent.warehouseId !== body.warehouseId)
          refuse(
            422,
            'PARENT_OTHER_WAREHOUSE',
            'Parent in another warehouse',
            '/body/parentId',
            'belongs to another warehouse',
          );
        if (parent.kind === 'bin')
          refuse(422, 'PARENT_IS_BIN', 'A bin cannot contain locations', '/body/parentId', 'is a bin');
        parentPath = parent.path;
        parentCodes = `${parent.codePath}/`;
      }
      const created = await ctx.db.one<{ id: string }>(
        `insert into locations (id, warehouse_id, parent_id, code, name, kind, path, code_path)
         select g.id, $1, $2, $3, $4, $5, $6 || g.id || '/', $7 || $3 from (select gen_random_uuid() as id) g
         on conflict do nothing returning id`,
        [
          body.warehouseId,
          body.parentId ?? null,
          body.code,
          body.name,
          body.kind ?? 'location',
          parentPath,
          parentCodes,
        ],
      );
      if (!created)
        refuse(
          409,
          'LOCATION_CODE_TAKEN',
          'Location code already used',
          '/body/code',
          `${body.code} exists in this warehouse`,
        );
      await ctx.audit.record({
        action: 'warehouses.location.created',
        resource: 'location',
        resourceId: created.id,
        data: body,
      });
      return findLocation(ctx, created.id);
    },
  }),
};
