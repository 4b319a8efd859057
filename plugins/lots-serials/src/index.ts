// Lots and serials: routes, the event it publishes, a subscription and a job.
import { definePlugin, PluginProblem, route, schema } from '@erp/sdk';

const NewItem = schema({
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
} as const);

const Item = schema({
  type: 'object',
  required: ['id', 'name', 'createdAt'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' } },
} as const);

const ItemCreated = schema({
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'name'],
  properties: { itemId: { type: 'string', format: 'uuid' }, name: { type: 'string' } },
} as const);

export default definePlugin({
  events: { 'item.created': ItemCreated },
  routes: {
    'GET /items': route({
      permission: 'lots-serials.items.read',
      summary: 'List items',
      response: { type: 'object', required: ['items', 'count'], properties: { items: { type: 'array', items: Item }, count: { type: 'integer' } } },
      async handler(ctx) {
        const items = await ctx.db.query(
          'select id, name, created_at as "createdAt" from items where tenant_id = $1 order by created_at, id',
          [ctx.tenant.id],
        );
        const stats = await ctx.db.one<{ created: number }>('select created from item_stats where tenant_id = $1', [ctx.tenant.id]);
        return { items, count: stats?.created ?? 0 };
      },
    }),
    'POST /items': route({
      permission: 'lots-serials.items.write',
      summary: 'Create an item',
      body: NewItem,
      response: Item,
      status: 201,
      async handler(ctx, { body }) {
        if (body.name.trim() === '') throw new PluginProblem(400, 'LOTS_SERIALS_NAME_BLANK', 'Name is blank');
        const item = await ctx.db.one<{ id: string; name: string; createdAt: string }>(
          'insert into items (tenant_id, name) values ($1, $2) returning id, name, created_at as "createdAt"',
          [ctx.tenant.id, body.name],
        );
        await ctx.events.publish('item.created', { itemId: item!.id, name: item!.name });
        await ctx.audit.record({ action: 'lots-serials.item.created', resource: 'item', resourceId: item!.id, data: { name: body.name } });
        return item;
      },
    }),
  },
  subscriptions: {
    'count-created': {
      event: 'lots-serials.item.created',
      async handler(ctx) {
        await ctx.db.query(
          `insert into item_stats (tenant_id, created) values ($1, 1)
           on conflict (tenant_id) do update set created = item_stats.created + 1`,
          [ctx.tenant.id],
        );
      },
    },
  },
  jobs: {
    'nightly-count': {
      cron: '0 3 * * *',
      async handler(ctx) {
        const row = await ctx.db.one<{ n: string }>('select count(*) as n from items where tenant_id = $1', [ctx.tenant.id]);
        ctx.log.info('items counted', { items: Number(row?.n ?? 0) });
      },
    },
  },
});
