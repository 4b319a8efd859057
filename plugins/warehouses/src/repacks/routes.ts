// Repack / kitting as one document (ERPNext's Repack stock entry): components are consumed and a
// product is produced in the same unit of work. The moves are adjustments of purpose 'repack'
// (announced one by one as stock.adjusted for move-by-move subscribers) and the whole document as
// stock.repacked, from which costing values the product at the components' cost plus the
// additional cost.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { readDocument } from '../documents/index.js';
import { type MoveSpec, postMoves, publishMoves, publishRepack } from '../ledger/index.js';
import {
  Code,
  DateOnly,
  DateTime,
  effectiveAt,
  insertDocument,
  Note,
  negate,
  Qty,
  refuse,
  Serials,
  Text,
  Uuid,
} from '../shared/index.js';

const Component = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'locationId', 'qty'],
  properties: { itemId: Uuid, locationId: Uuid, qty: Qty, lot: Code, serials: Serials },
} as const;

const Repack = schema({
  type: 'object',
  additionalProperties: false,
  required: ['components', 'product'],
  properties: {
    reference: Text,
    note: Note,
    effectiveAt: DateTime,
    additionalCost: {
      type: 'string',
      pattern: '^(0|[1-9][0-9]{0,13})(\\.[0-9]{1,10})?$',
      description: 'Cost added to the components’ (labour, packing) in the tenant currency; default 0',
    },
    components: { type: 'array', minItems: 1, maxItems: 100, items: Component },
    product: {
      ...Component,
      properties: { ...Component.properties, lotExpiresOn: DateOnly },
    },
  },
} as const);

export const repackRoutes: Record<string, PluginRoute> = {
  'POST /repacks': route({
    permission: 'warehouses.stock.adjust',
    summary: 'Repack / kit: consume components and produce an item, as one document',
    body: Repack,
    status: 201,
    async handler(ctx, { body }) {
      const clash = body.components.findIndex((c) => c.itemId === body.product.itemId);
      if (clash >= 0)
        refuse(
          422,
          'REPACK_SAME_ITEM',
          'A repack cannot consume what it produces',
          `/body/components/${clash}/itemId`,
          'is the product item',
        );
      const at = await effectiveAt(ctx, body.effectiveAt, '/body/effectiveAt');
      const additionalCost = body.additionalCost ?? '0';
      const id = await insertDocument(ctx, {
        kind: 'adjustment',
        purpose: 'repack',
        reason: 'repack',
        reference: body.reference ?? null,
        note: body.note ?? null,
        effectiveAt: at,
        additionalCost,
      });
      const p = body.product;
      const specs: MoveSpec[] = [
        ...body.components.map(
          (c, i): MoveSpec => ({
            field: `/body/components/${i}`,
            kind: 'adjustment',
            itemId: c.itemId,
            locationId: c.locationId,
            qty: negate(c.qty),
            lot: c.lot ?? null,
            serials: c.serials,
            reference: body.reference ?? null,
          }),
        ),
        {
          field: '/body/product',
          kind: 'adjustment',
          itemId: p.itemId,
          locationId: p.locationId,
          qty: p.qty,
          lot: p.lot ?? null,
          lotExpiresOn: p.lotExpiresOn ?? null,
          serials: p.serials,
          reference: body.reference ?? null,
        },
      ];
      const moves = await postMoves(ctx, id, at, specs);
      await publishMoves(ctx, moves, { reason: 'repack', purpose: 'repack' });
      await publishRepack(
        ctx,
        { id, additionalCost, reference: body.reference ?? null, effectiveAt: at },
        moves,
      );
      await ctx.audit.record({
        action: 'warehouses.repack.posted',
        resource: 'repack',
        resourceId: id,
        data: { moves: moves.map((m) => m.id), additionalCost },
      });
      return readDocument(ctx, id, 'adjustment', '/body');
    },
  }),
  'GET /repacks/:id': route({
    permission: 'warehouses.stock.read',
    params: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: Uuid } },
    handler: (ctx, { params }) => readDocument(ctx, params.id, 'adjustment'),
  }),
};
