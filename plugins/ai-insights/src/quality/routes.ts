// The anomaly and duplicate queues over the tenant's stock history. Anomalies: receipts judged on
// unit cost and quantity, issues on quantity and sale price (when the issue gave one), each within
// its item and kind; all of it the tenant's own rows (row-level security). Duplicates: partner names, and moves repeating the
// same party, item and amount within a few days. Nothing is changed or merged here: every entry
// links to its record and suggests; a user decides.
import { notFound, type PluginRoute, route, schema } from '@erp/sdk';
import {
  detectAnomalies,
  type Feedback,
  findDuplicateRecords,
  findDuplicateTransactions,
} from '../engine/index.js';
import { IdParams } from '../shared/index.js';

const Days = { type: 'integer', minimum: 1, maximum: 3660, default: 365 } as const;

const AnomalyQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    days: Days,
    threshold: {
      type: 'number',
      minimum: 1,
      maximum: 50,
      default: 3.5,
      description: 'Modified z-score above which a value is unusual',
    },
  },
} as const);

const FeedbackBody = schema({
  type: 'object',
  additionalProperties: false,
  required: ['verdict'],
  properties: {
    verdict: { type: 'string', enum: ['confirmed', 'dismissed'] },
    note: { type: 'string', maxLength: 500 },
  },
} as const);

const DuplicateQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    days: Days,
    windowDays: { type: 'integer', minimum: 0, maximum: 31, default: 3 },
    threshold: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.88 },
  },
} as const);

interface MoveRow {
  id: string;
  itemId: string;
  warehouseId: string;
  sku: string | null;
  kind: string;
  qty: string;
  unitCost: string | null;
  unitPrice: string | null;
  partner: string | null;
  effectiveAt: string;
}

const MOVES = `select move_id as id, item_id as "itemId", warehouse_id as "warehouseId", sku, kind, abs(qty)::text as qty,
  unit_cost::text as "unitCost", unit_price::text as "unitPrice", partner, to_char(effective_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "effectiveAt"
  from moves where kind in ('receipt', 'issue') and effective_at >= now() - make_interval(days => $1)`;

const LABELS = { qty: 'quantity', unitCost: 'unit cost', unitPrice: 'unit price' };

const link = (id: string) => `/api/v1/p/warehouses/moves/${id}`;

const RecordsBody = schema({
  type: 'object',
  additionalProperties: false,
  required: ['records'],
  properties: {
    records: {
      type: 'array',
      maxItems: 5000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name'],
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 100 },
          name: { type: 'string', maxLength: 300 },
          code: { type: ['string', 'null'], maxLength: 100 },
          createdAt: { type: ['string', 'null'], maxLength: 40 },
        },
      },
    },
    threshold: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.88 },
  },
} as const);

export const qualityRoutes: Record<string, PluginRoute> = {
  'POST /duplicates/records': route({
    permission: 'insights.forecasts.read',
    summary:
      'Near-identical names or equal codes among records the caller reads elsewhere (e.g. the warehouses items, which its events do not name)',
    body: RecordsBody,
    async handler(_ctx, { body }) {
      return { pairs: findDuplicateRecords(body.records, { threshold: body.threshold ?? 0.88 }) };
    },
  }),
  'GET /anomalies': route({
    permission: 'insights.forecasts.read',
    summary:
      'Receipts with unusual unit cost or quantity and issues with unusual quantity or sale price for their item, with the features that made them so and an explanation',
    query: AnomalyQuery,
    async handler(ctx, { query }) {
      const moves = await ctx.db.query<MoveRow>(MOVES, [query.days ?? 365]);
      const verdicts = await ctx.db.query<{ id: string; verdict: Feedback }>(
        'select record_id as id, verdict from anomaly_feedback',
      );
      const feedback = new Map(verdicts.map((v) => [v.id, v.verdict]));
      const found = detectAnomalies(
        moves.map((m) => ({
          id: m.id,
          group: `${m.itemId}/${m.kind}`,
          features: {
            qty: m.qty,
            ...(m.kind === 'receipt' ? { unitCost: m.unitCost } : { unitPrice: m.unitPrice }),
          },
        })),
        { threshold: query.threshold ?? 3.5, feedback, labels: LABELS },
      );
      const byId = new Map(moves.map((m) => [m.id, m]));
      return {
        anomalies: found.map((a) => {
          const m = byId.get(a.id)!;
          return {
            recordId: a.id,
            kind: m.kind,
            itemId: m.itemId,
            sku: m.sku,
            warehouseId: m.warehouseId,
            partner: m.partner,
            effectiveAt: m.effectiveAt,
            score: a.score,
            unusual: a.unusual,
            explanation: a.explanation,
            feedback: feedback.get(a.id) ?? null,
            link: link(a.id),
          };
        }),
      };
    },
  }),
  'POST /anomalies/:id/feedback': route({
    permission: 'insights.suggestions.write',
    summary:
      'Confirm a flagged record as an anomaly, or dismiss it as normal (kept and used by the detector)',
    params: IdParams,
    body: FeedbackBody,
    async handler(ctx, { params, body }) {
      const known = await ctx.db.one('select 1 from moves where move_id = $1', [params.id]);
      if (!known) throw notFound('INSIGHTS_RECORD_NOT_FOUND', 'Record');
      await ctx.db.query(
        `insert into anomaly_feedback (record_id, verdict, note, decided_by) values ($1, $2, $3, $4)
         on conflict (tenant_id, record_id) do update
           set verdict = excluded.verdict, note = excluded.note, decided_by = excluded.decided_by, decided_at = now()`,
        [params.id, body.verdict, body.note ?? null, ctx.user.id],
      );
      await ctx.audit.record({
        action: `insights.anomaly.${body.verdict}`,
        resource: 'move',
        resourceId: params.id,
      });
      return { recordId: params.id, verdict: body.verdict };
    },
  }),
  'GET /duplicates': route({
    permission: 'insights.forecasts.read',
    summary:
      'Partners with near-identical names, and moves repeating party, item and amount within a few days',
    query: DuplicateQuery,
    async handler(ctx, { query }) {
      const moves = await ctx.db.query<MoveRow & { amount: string }>(
        `select m.*, case when m."unitCost" is null then m.qty else (m.qty::numeric * m."unitCost"::numeric)::text end as amount
           from (${MOVES}) m where m.partner is not null order by m."effectiveAt", m.id`,
        [query.days ?? 365],
      );
      const partners = new Map<string, string>();
      for (const m of moves)
        if (m.partner && !partners.has(m.partner)) partners.set(m.partner, m.effectiveAt);
      const partnerPairs = findDuplicateRecords(
        [...partners].map(([name, first]) => ({ id: name, name, createdAt: first })),
        { threshold: query.threshold ?? 0.88 },
      );
      const byId = new Map(moves.map((m) => [m.id, m]));
      const txPairs = findDuplicateTransactions(
        moves.map((m) => ({
          id: m.id,
          party: `${m.kind} ${m.partner} ${m.itemId}`,
          amount: m.amount,
          date: m.effectiveAt,
        })),
        { windowDays: query.windowDays ?? 3 },
      );
      return {
        partners: partnerPairs,
        transactions: txPairs.map((p) => ({
          ...p,
          links: [link(p.a), link(p.b)],
          partner: byId.get(p.a)?.partner ?? null,
          sku: byId.get(p.a)?.sku ?? null,
        })),
      };
    },
  }),
};
