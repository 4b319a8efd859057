// The plugin over HTTP against a real kernel and PostgreSQL (embedded, or DATABASE_URL), with the
// warehouses plugin installed: issues are posted to warehouses and reach ai-insights as events on
// the real bus. One kernel and two tenants for the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Body,
  buildWorld,
  type Env,
  history,
  learnt,
  newItem,
  ok,
  startEnv,
  weeksAgo,
} from './support/world.js';

let env: Env;
let aSeries: { item: string; warehouse: string };
let bSeries: { item: string; warehouse: string };
// Tenant A: 16 weeks around 20 a week; tenant B: the same weeks around 200.
const A = [18, 22, 19, 21, 20, 23, 17, 20, 22, 18, 21, 19, 20, 24, 16, 20];
const B = A.map((v) => v * 10 + 3);

beforeAll(async () => {
  env = await startEnv();
  const wa = await buildWorld(env.a);
  const ia = await newItem(env.a);
  await history(env.a, wa, ia, 1000, A);
  const wb = await buildWorld(env.b);
  const ib = await newItem(env.b);
  await history(env.b, wb, ib, 5000, B);
  aSeries = { item: ia, warehouse: wa.warehouse };
  bSeries = { item: ib, warehouse: wb.warehouse };
  await learnt(env, env.a, ia, wa.warehouse, A.length);
  await learnt(env, env.b, ib, wb.warehouse, B.length);
});
afterAll(async () => env?.kit.close());

const q = (s: { item: string; warehouse: string }, extra = '') =>
  `itemId=${s.item}&warehouseId=${s.warehouse}${extra}`;

describe('forecasts', () => {
  it('forecasts from the tenant’s own history with an interval, stored under a model version', async () => {
    const f = await ok(env.a.insights.get(`/forecast?${q(aSeries, '&horizon=6')}`));
    expect(f.status).toBe('ok');
    expect(f.history).toHaveLength(A.length);
    expect(f.history.map((h: Body) => Number(h.qty))).toEqual(A);
    expect(f.forecast).toHaveLength(6);
    for (const p of f.forecast) {
      expect(Number(p.lower)).toBeLessThanOrEqual(Number(p.point));
      expect(Number(p.upper)).toBeGreaterThanOrEqual(Number(p.point));
      expect(Number(p.point)).toBeGreaterThan(15);
      expect(Number(p.point)).toBeLessThan(25);
    }
    expect(f.model).toMatchObject({
      version: 1,
      status: 'ok',
      historyPeriods: A.length,
      trainedBy: 'request',
    });
    expect(f.model.metrics.mase).toBeTypeOf('number');
    expect(f.model.metrics.naive.model).toBe('naive');
    expect(f.model.explanation).toMatch(/rolling origins/);
    const models = await ok(env.a.insights.get(`/models?${q(aSeries)}`));
    expect(models.models.map((m: Body) => m.version)).toEqual([1]);
  });

  it('keeps tenants apart: B’s model learns only B’s demand, and B sees nothing of A’s', async () => {
    const fb = await ok(env.b.insights.get(`/forecast?${q(bSeries)}`));
    expect(fb.history.map((h: Body) => Number(h.qty))).toEqual(B);
    expect(Number(fb.forecast[0].point)).toBeGreaterThan(150);
    // A's series does not exist for B: no history, no model, no forecast from A's data.
    const seen = await ok(env.b.insights.get(`/history?${q(aSeries)}`));
    expect(seen.issues).toBe(0);
    const none = await ok(env.b.insights.get(`/forecast?${q(aSeries)}`));
    expect(none).toMatchObject({ status: 'insufficient-history', model: null, forecast: [] });
    expect(none.message).toMatch(/no demand recorded/);
    expect((await ok(env.b.insights.get(`/models?${q(aSeries)}`))).models).toEqual([]);
    const fa = await ok(env.a.insights.get(`/forecast?${q(aSeries)}`));
    expect(Number(fa.forecast[0].point)).toBeLessThan(25);
    expect(fa.model.version).toBe(1);
  });

  it('says when history is too short, and what it needs', async () => {
    const w = await buildWorld(env.a);
    const item = await newItem(env.a);
    await history(env.a, w, item, 100, [3, 4, 5]);
    await learnt(env, env.a, item, w.warehouse, 3);
    const f = await ok(env.a.insights.get(`/forecast?itemId=${item}&warehouseId=${w.warehouse}`));
    expect(f.status).toBe('insufficient-history');
    expect(f.forecast).toEqual([]);
    expect(f.model.explanation).toMatch(/3 periods of history; a forecast needs at least 8/);
    const res = await env.a.insights.post('/reorder-suggestions', { itemId: item, warehouseId: w.warehouse });
    expect([res.status, res.json.code, res.json.errors?.[0]?.field]).toEqual([
      422,
      'INSIGHTS_INSUFFICIENT_HISTORY',
      '/body/itemId',
    ]);
  });

  it('refuses bad parameters with a problem naming the field', async () => {
    const refused = async (p: Promise<Body>, status: number, code: string, field: string) => {
      const res = await p;
      expect([res.status, res.json.code, res.json.errors?.[0]?.field], JSON.stringify(res.json)).toEqual([
        status,
        code,
        field,
      ]);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    };
    await refused(
      env.a.insights.get(`/forecast?${q(aSeries, '&horizon=500')}`),
      400,
      'ERP_VALIDATION',
      '/query/horizon',
    );
    await refused(
      env.a.insights.get(`/forecast?${q(aSeries, '&horizon=40')}`),
      400,
      'INSIGHTS_HORIZON_TOO_LONG',
      '/query/horizon',
    );
    for (const serviceLevel of [1, 0, 1.5]) {
      await refused(
        env.a.insights.post('/reorder-suggestions', {
          itemId: aSeries.item,
          warehouseId: aSeries.warehouse,
          serviceLevel,
        }),
        400,
        'ERP_VALIDATION',
        '/body/serviceLevel',
      );
    }
    expect((await ok(env.a.insights.get('/reorder-suggestions'))).suggestions).toEqual([]);
  });
});

describe('reorder suggestions', () => {
  it('suggests from the forecast, and applies to warehouses only when accepted', async () => {
    const s = await ok(
      env.a.insights.post('/reorder-suggestions', {
        itemId: aSeries.item,
        warehouseId: aSeries.warehouse,
        serviceLevel: 0.95,
        leadTime: 2,
        reviewPeriod: 4,
      }),
      201,
    );
    expect(s).toMatchObject({
      status: 'open',
      modelVersion: 1,
      serviceLevel: 0.95,
      onHand: String(1000 - A.reduce((x, y) => x + y, 0)),
    });
    expect(Number(s.leadTimeDemand)).toBeGreaterThan(30);
    expect(Number(s.safetyStock)).toBeGreaterThan(0);
    expect(Number(s.reorderPoint)).toBeGreaterThanOrEqual(Number(s.leadTimeDemand) + Number(s.safetyStock));
    expect(s.explanation).toMatch(/z 1\.64/);
    // Nothing applied yet.
    expect((await ok(env.a.wh.get(`/reorder-points?itemId=${aSeries.item}`))).reorderPoints).toEqual([]);
    const accepted = await ok(env.a.insights.post(`/reorder-suggestions/${s.id}/accept`, {}));
    expect(accepted.apply).toMatchObject({ method: 'PUT', path: '/api/v1/p/warehouses/reorder-points' });
    await ok(env.a.api.put(accepted.apply.path, accepted.apply.body));
    const points = (await ok(env.a.wh.get(`/reorder-points?itemId=${aSeries.item}`))).reorderPoints;
    expect(points.map((p: Body) => [p.minQty, p.reorderQty])).toEqual([[s.reorderPoint, s.orderQty]]);
    const again = await env.a.insights.post(`/reorder-suggestions/${s.id}/accept`, {});
    expect([again.status, again.json.code]).toEqual([409, 'INSIGHTS_SUGGESTION_DECIDED']);
    const other = await env.b.insights.post(`/reorder-suggestions/${s.id}/dismiss`, {});
    expect([other.status, other.json.code]).toEqual([404, 'INSIGHTS_SUGGESTION_NOT_FOUND']);
  });
});

describe('governance and stock views', () => {
  it('retrains through the job, adding a version with metrics and drift', async () => {
    await ok(
      env.a.insights.post('/models/retrain', { itemId: aSeries.item, warehouseId: aSeries.warehouse }),
      202,
    );
    let models: Body[] = [];
    await env.kit.waitFor(async () => {
      models = (await ok(env.a.insights.get(`/models?${q(aSeries)}`))).models;
      return models.length === 2;
    }, 20_000);
    expect(models[0]).toMatchObject({ version: 2, trainedBy: 'schedule', status: 'ok' });
    expect(models[0].drift).toMatchObject({ previousVersion: 1 });
    expect(models[0].metrics.candidates.length).toBeGreaterThan(1);
    // B's models are untouched by A's retraining.
    expect((await ok(env.b.insights.get(`/models?${q(bSeries)}`))).models).toHaveLength(1);
  });

  it('classes items ABC, ages stock and finds none dead', async () => {
    const abc = await ok(env.a.insights.get('/abc'));
    const row = abc.items.find((i: Body) => i.itemId === aSeries.item);
    expect(row).toMatchObject({ class: 'A', value: String(2.5 * A.reduce((x, y) => x + y, 0)) });
    const aging = await ok(env.a.insights.get(`/aging?itemId=${aSeries.item}`));
    expect(aging.rows).toHaveLength(1);
    expect(aging.rows[0].buckets[2].qty).toBe(String(1000 - A.reduce((x, y) => x + y, 0)));
    const dead = await ok(env.a.insights.get('/dead-stock?days=3'));
    expect(dead.rows.map((r: Body) => r.itemId)).toContain(aSeries.item);
    const alive = await ok(env.a.insights.get('/dead-stock?days=60'));
    expect(alive.rows.map((r: Body) => r.itemId)).not.toContain(aSeries.item);
  });
});

describe('anomalies and duplicates', () => {
  it('flags the receipt with an unusual unit cost, links it, and learns from feedback', async () => {
    const w = await buildWorld(env.a);
    const item = await newItem(env.a);
    const costs = [
      '2.50',
      '2.55',
      '2.45',
      '2.52',
      '2.48',
      '2.60',
      '2.40',
      '2.51',
      '2.49',
      '2.53',
      '25.00',
      '2.47',
    ];
    const ids: string[] = [];
    for (let i = 0; i < costs.length; i++) {
      const doc = await ok(
        env.a.wh.post('/receipts', {
          effectiveAt: weeksAgo(20 - i),
          supplier: i === 5 ? 'NORTHWIND TRADERS LIMITED' : 'Northwind Traders Ltd',
          lines: [{ itemId: item, locationId: w.location, qty: String(10 + i), unitCost: costs[i] }],
        }),
        201,
      );
      ids.push(doc.moves[0].id);
    }
    // The same receipt entered twice, a day apart.
    for (const day of [3, 2]) {
      const doc = await ok(
        env.a.wh.post('/receipts', {
          effectiveAt: new Date(Date.now() - day * 86_400_000).toISOString(),
          supplier: 'Northwind Traders Ltd',
          lines: [{ itemId: item, locationId: w.location, qty: '7', unitCost: '2.50' }],
        }),
        201,
      );
      ids.push(doc.moves[0].id);
    }
    await env.kit.waitFor(async () => {
      const res = await ok(env.a.insights.get(`/aging?itemId=${item}`));
      return res.rows[0]?.onHand === String(costs.reduce((s, _c, i) => s + 10 + i, 0) + 14);
    }, 20_000);
    const mine = async () =>
      (await ok(env.a.insights.get('/anomalies'))).anomalies.filter((x: Body) => x.itemId === item);
    const flagged = await mine();
    expect(flagged.map((x: Body) => x.recordId)).toEqual([ids[10]]);
    expect(flagged[0]).toMatchObject({
      kind: 'receipt',
      link: `/api/v1/p/warehouses/moves/${ids[10]}`,
      feedback: null,
    });
    expect(flagged[0].unusual[0]).toMatchObject({ feature: 'unitCost', value: '25', median: '2.5' });
    expect(flagged[0].explanation).toMatch(/^unit cost 25, expected about 2\.5 \(median of 14/);
    expect(flagged[0].score).toBeGreaterThan(3.5);
    await ok(env.a.api.get(flagged[0].link));
    // Tenant B sees none of it, and cannot give feedback on A's record.
    expect((await ok(env.b.insights.get('/anomalies'))).anomalies.some((x: Body) => x.itemId === item)).toBe(
      false,
    );
    const foreign = await env.b.insights.post(`/anomalies/${ids[10]}/feedback`, { verdict: 'dismissed' });
    expect(foreign.status).toBe(404);
    const bad = await env.a.insights.post(`/anomalies/${ids[10]}/feedback`, { verdict: 'maybe' });
    expect([bad.status, bad.json.errors?.[0]?.field]).toEqual([400, '/body/verdict']);
    await ok(
      env.a.insights.post(`/anomalies/${ids[10]}/feedback`, { verdict: 'dismissed', note: 'air freight' }),
    );
    expect(await mine()).toEqual([]);

    const dup = await ok(env.a.insights.get('/duplicates'));
    const partner = dup.partners.find((p: Body) => [p.a, p.b].includes('NORTHWIND TRADERS LIMITED'));
    expect(partner).toMatchObject({ score: 1 });
    expect(partner.suggestion.keep).toBe('Northwind Traders Ltd');
    const tx = dup.transactions.filter((p: Body) => p.sku && [p.a, p.b].includes(ids[12]));
    expect(tx.map((p: Body) => [p.a, p.b].sort())).toEqual([[ids[12], ids[13]].sort()]);
    expect(tx[0].links).toHaveLength(2);
    // Records read elsewhere (the warehouses items, which its events do not name) compared on request.
    const items = await ok(
      env.a.insights.post('/duplicates/records', {
        records: [
          { id: 'i1', name: 'Hex bolt M8 × 40', code: 'BOLT-0008', createdAt: '2024-01-01' },
          { id: 'i2', name: 'HEX BOLT M8x40', code: 'bolt8', createdAt: '2025-01-01' },
          { id: 'i3', name: 'Washer M8', code: 'WASH-8' },
        ],
      }),
    );
    expect(items.pairs.map((p: Body) => [p.a, p.b, p.suggestion.keep])).toEqual([['i1', 'i2', 'i1']]);
    expect(items.pairs[0].reasons[0]).toMatch(/same code/);
    const refused = await env.a.insights.post('/duplicates/records', { records: [{ id: 'x' }] });
    expect([refused.status, refused.json.errors?.[0]?.field]).toEqual([400, '/body/records/0/name']);
  });
  it('flags an issue sold far below its item’s usual price, in words, within the tenant only', async () => {
    // Tenant A sells its item at about 12.00 and once at 4.50; tenant B sells its own at about
    // 4.50, which is normal there and must not leak into A's baseline or queue (nor A's into B's).
    const sell = async (t: typeof env.a, prices: string[]) => {
      const w = await buildWorld(t);
      const item = await newItem(t);
      await ok(
        t.wh.post('/receipts', {
          effectiveAt: weeksAgo(prices.length + 2),
          lines: [{ itemId: item, locationId: w.location, qty: '100', unitCost: '3' }],
        }),
        201,
      );
      const ids: string[] = [];
      for (const [i, unitPrice] of prices.entries()) {
        const doc = await ok(
          t.wh.post('/issues', {
            effectiveAt: weeksAgo(prices.length - i),
            customer: i === 7 ? 'Friend & Co' : 'Bob',
            lines: [{ itemId: item, locationId: w.location, qty: '2', unitPrice }],
          }),
          201,
        );
        ids.push(doc.moves[0].id);
      }
      await learnt(env, t, item, w.warehouse, prices.length);
      return { item, ids };
    };
    const a = await sell(env.a, [
      '12.00',
      '12.10',
      '11.90',
      '12.00',
      '12.05',
      '11.95',
      '12.00',
      '4.50',
      '12.20',
      '11.80',
    ]);
    const b = await sell(env.b, [
      '4.50',
      '4.55',
      '4.45',
      '4.50',
      '4.52',
      '4.48',
      '4.50',
      '4.60',
      '4.40',
      '4.50',
    ]);
    const queue = async (t: typeof env.a) => (await ok(t.insights.get('/anomalies'))).anomalies as Body[];
    const inA = (await queue(env.a)).filter((x) => x.itemId === a.item);
    expect(inA.map((x) => x.recordId)).toEqual([a.ids[7]]);
    expect(inA[0]).toMatchObject({
      kind: 'issue',
      partner: 'Friend & Co',
      link: `/api/v1/p/warehouses/moves/${a.ids[7]}`,
    });
    expect(inA[0].unusual[0]).toMatchObject({
      feature: 'unitPrice',
      value: '4.5',
      median: '12',
      deviation: '-7.5',
      count: 10,
    });
    expect(inA[0].explanation).toMatch(
      /^unit price 4\.5, expected about 12 \(median of 10, typical spread ±0\.075\): 7\.5 below \(62\.5 % below\)/,
    );
    const inB = await queue(env.b);
    expect(inB.filter((x) => x.itemId === b.item)).toEqual([]);
    expect(inB.some((x) => x.itemId === a.item || a.ids.includes(x.recordId))).toBe(false);
    expect((await queue(env.a)).some((x) => x.itemId === b.item)).toBe(false);
    // Feedback from the other tenant cannot touch it; the owner's confirmation keeps it out of the baseline.
    expect(
      (await env.b.insights.post(`/anomalies/${a.ids[7]}/feedback`, { verdict: 'confirmed' })).status,
    ).toBe(404);
  });
});

describe('categorization', () => {
  it('trains on the tenant’s labelled lines, answers with confidence, asks when unsure', async () => {
    const lines = [
      ['hotel berlin two nights', 'travel'],
      ['flight to london', 'travel'],
      ['taxi from airport', 'travel'],
      ['train ticket hamburg', 'travel'],
      ['hotel booking conference', 'travel'],
      ['printer toner black', 'office'],
      ['paper a4 boxes', 'office'],
      ['pens and folders', 'office'],
      ['desk chair', 'office'],
      ['toner for printer', 'office'],
      ['cloud hosting monthly', 'software'],
      ['software licence seats', 'software'],
      ['domain renewal', 'software'],
      ['saas subscription annual', 'software'],
    ].map(([text, label]) => ({ text, label }));
    const few = await env.a.insights.post('/categories/train', { domain: 'expense' });
    expect([few.status, few.json.code, few.json.errors?.[0]?.field]).toEqual([
      422,
      'INSIGHTS_TOO_FEW_EXAMPLES',
      '/body/domain',
    ]);
    await ok(env.a.insights.post('/categories/examples', { domain: 'expense', examples: lines }), 201);
    const c = await ok(env.a.insights.post('/categories/train', { domain: 'expense' }), 201);
    expect(c).toMatchObject({ version: 1, metrics: { examples: 14, labels: 3, heldOut: 2 } });
    const r = await ok(
      env.a.insights.post('/categories/classify', {
        domain: 'expense',
        texts: ['hotel and taxi', 'quarterly gizmo'],
        threshold: 0.7,
      }),
    );
    expect(r.classifierVersion).toBe(1);
    expect(r.results[0]).toMatchObject({ category: 'travel', needsReview: false });
    expect(r.results[0].because).toContain('hotel');
    expect(r.results[1]).toMatchObject({ category: null, needsReview: true });
    expect(r.results[1].ranked).toHaveLength(3);
    // Tenant B has no classifier: A's lines trained nothing of B's.
    const b = await env.b.insights.post('/categories/classify', { domain: 'expense', texts: ['hotel'] });
    expect([b.status, b.json.code]).toEqual([422, 'INSIGHTS_NO_CLASSIFIER']);
  });
});

describe('cancelled moves', () => {
  it('stops counting a cancelled issue as demand, in the tenant that cancelled it only', async () => {
    const w = await buildWorld(env.a);
    const item = await newItem(env.a);
    await history(env.a, w, item, 100, [5, 7]);
    const issue = await ok(
      env.a.wh.post('/issues', {
        effectiveAt: weeksAgo(0),
        customer: 'Bob',
        lines: [{ itemId: item, locationId: w.location, qty: '9' }],
      }),
      201,
    );
    await learnt(env, env.a, item, w.warehouse, 3);
    const before = await ok(env.a.insights.get(`/history?itemId=${item}&warehouseId=${w.warehouse}`));
    expect(before.history.map((h: Body) => Number(h.qty))).toEqual([5, 7, 9]);
    // B cannot cancel A's document; A's history is untouched by the attempt.
    const foreign = await env.b.wh.post(`/documents/${issue.id}/cancel`, { reason: 'not ours' });
    expect(foreign.status).toBe(404);
    await ok(env.a.wh.post(`/documents/${issue.id}/cancel`, { reason: 'keyed twice' }), 201);
    await learnt(env, env.a, item, w.warehouse, 2);
    const after = await ok(env.a.insights.get(`/history?itemId=${item}&warehouseId=${w.warehouse}`));
    expect(after.history.map((h: Body) => Number(h.qty))).toEqual([5, 7]);
    // The reversal still counts for on-hand: the cancelled 9 are back in stock.
    const aging = await ok(env.a.insights.get(`/aging?itemId=${item}`));
    expect(aging.rows.map((r: Body) => Number(r.onHand))).toEqual([100 - 5 - 7]);
  });
});

describe('project expenses', () => {
  // Tenant A's labelled history (category given when recorded), and B's, which files hotels under
  // a category of its own: B's answers show that A's expenses trained nothing of B's.
  const LABELLED: [string, string][] = [
    ['hotel berlin two nights', 'travel'],
    ['flight to london', 'travel'],
    ['taxi from airport', 'travel'],
    ['train ticket hamburg', 'travel'],
    ['hotel booking conference', 'travel'],
    ['rail pass munich', 'travel'],
    ['printer toner black', 'office'],
    ['paper a4 boxes', 'office'],
    ['pens and folders', 'office'],
    ['desk chair', 'office'],
    ['toner for printer', 'office'],
    ['stationery order', 'office'],
    ['cloud hosting monthly', 'software'],
    ['software licence seats', 'software'],
    ['domain renewal', 'software'],
    ['saas subscription annual', 'software'],
  ];
  const B_LABELLED: [string, string][] = [
    ['hotel room site visit', 'lodging'],
    ['hotel two nights', 'lodging'],
    ['guest house week', 'lodging'],
    ['hotel breakfast included', 'lodging'],
    ['apartment rental month', 'lodging'],
    ['diesel for the van', 'vehicles'],
    ['van service and tyres', 'vehicles'],
    ['fuel card top up', 'vehicles'],
    ['car wash van', 'vehicles'],
    ['petrol for the truck', 'vehicles'],
  ];

  async function project(t: typeof env.a) {
    const code = `P${Math.random().toString(36).slice(2, 8)}`;
    const p = await ok(
      t.projects.post('/projects', {
        code,
        name: `Project ${code}`,
        billing: 'time-and-materials',
        currency: 'EUR',
        startsOn: '2026-01-01',
        endsOn: '2027-12-31',
      }),
      201,
    );
    return p.id as string;
  }
  const expense = (t: typeof env.a, projectId: string, description: string, category?: string) =>
    ok(
      t.projects.post(`/projects/${projectId}/expenses`, {
        incurredOn: '2026-03-02',
        amount: '42.50',
        currency: 'EUR',
        description,
        ...(category ? { category } : {}),
      }),
      201,
    );
  /** Waits until the tenant's classifier is trained on `labelled` lines and sees `open` expenses. */
  async function suggestions(t: typeof env.a, labelled: number, open: number, extra = '') {
    let body: Body;
    await env.kit.waitFor(async () => {
      const res = await t.insights.get(`/expenses/suggestions?threshold=0.6${extra}`);
      body = res.json;
      return (
        res.status === 200 &&
        body.classifier.metrics.examples === labelled &&
        body.suggestions.length === open
      );
    }, 20_000);
    return body;
  }

  it('learns from the tenant’s categorised expenses, suggests with confidence, and applies only when the user sets it', async () => {
    // Lines A labelled by hand earlier in this file (domain 'expense') count too.
    const base = await env.a.insights.post('/categories/train', { domain: 'expense' });
    const handLabelled = base.status === 201 ? base.json.metrics.examples : 0;
    const pa = await project(env.a);
    for (const [d, c] of LABELLED) await expense(env.a, pa, d, c);
    // Too few lines yet in B: it says so, naming the query.
    const pb = await project(env.b);
    const early = await env.b.insights.get('/expenses/suggestions');
    expect([early.status, early.json.code, early.json.errors?.[0]?.field]).toEqual([
      422,
      'INSIGHTS_TOO_FEW_EXAMPLES',
      '/query',
    ]);
    for (const [d, c] of B_LABELLED) await expense(env.b, pb, d, c);
    const hotel = await expense(env.a, pa, 'hotel hamburg three nights');
    expect(hotel.category).toBe('uncategorised');
    const hotelId = hotel.sourceKey.replace('expense:', '');
    await expense(env.a, pa, 'quarterly gizmo');
    const bHotel = await expense(env.b, pb, 'hotel near the site');

    const a = await suggestions(env.a, handLabelled + LABELLED.length, 2);
    expect(a.classifier.metrics.labels).toBe(3);
    const first = a.suggestions.find((x: Body) => x.expenseId === hotelId);
    const second = a.suggestions.find((x: Body) => x.expenseId !== hotelId);
    expect(first).toMatchObject({
      expenseId: hotelId,
      projectId: pa,
      category: 'travel',
      needsReview: false,
    });
    expect(first.confidence).toBeGreaterThanOrEqual(0.6);
    expect(first.because).toContain('hotel');
    expect(first.apply).toEqual({
      method: 'PUT',
      path: `/api/v1/p/project-costing/expenses/${hotelId}/category`,
      permission: 'projects.actuals.write',
      body: { category: 'travel' },
    });
    expect(second).toMatchObject({
      description: 'quarterly gizmo',
      category: null,
      needsReview: true,
      apply: null,
    });
    expect(second.ranked).toHaveLength(3);

    // B's own history: its hotel is lodging, never A's travel; and A's expenses are not B's to list.
    const b = await suggestions(env.b, B_LABELLED.length, 1);
    expect(b.suggestions[0]).toMatchObject({
      expenseId: bHotel.sourceKey.replace('expense:', ''),
      category: 'lodging',
    });
    expect(b.suggestions[0].ranked.map((r: Body) => r.label)).not.toContain('travel');

    // Nothing is applied until the user makes the call; then the line is labelled history.
    expect(
      (await ok(env.a.projects.get(`/projects/${pa}/actuals`))).actuals.find(
        (x: Body) => x.sourceKey === hotel.sourceKey,
      ).category,
    ).toBe('uncategorised');
    const wrongTenant = await env.b.api.put(first.apply.path, first.apply.body);
    expect([wrongTenant.status, wrongTenant.json.code]).toEqual([404, 'PROJECT_EXPENSE_NOT_FOUND']);
    const set = await ok(env.a.api.put(first.apply.path, first.apply.body));
    expect(set.category).toBe('travel');
    const after = await suggestions(env.a, handLabelled + LABELLED.length + 1, 1);
    expect(after.classifier.version).toBe(a.classifier.version + 1);
    expect(after.suggestions.map((s: Body) => s.description)).toEqual(['quarterly gizmo']);

    // A late copy of the hotel's first event (no category yet), as at-least-once delivery or a
    // replay may bring it, does not undo the category set since.
    const recorded = (
      await ok(env.a.api.get('/api/v1/events?type=project-costing.expense.recorded&limit=500'))
    ).items;
    const stale = recorded.find((e: Body) => e.payload.expenseId === hotelId && e.payload.category === null);
    expect(stale).toBeDefined();
    const subscriber = (await ok(env.a.api.get('/api/v1/events/subscribers'))).items.find(
      (x: Body) => x.plugin === 'ai-insights' && x.subscription === 'expense-recorded',
    );
    const replay = await ok(
      env.a.api.post('/api/v1/events/replay', {
        subscriber: subscriber.key,
        fromSequence: stale.sequence,
        toSequence: stale.sequence,
      }),
      202,
    );
    expect(replay.events).toBe(1);
    await env.kit.waitFor(async () => {
      const subs = (await ok(env.a.api.get('/api/v1/events/subscribers'))).items;
      return subs.find((x: Body) => x.key === subscriber.key).pending === 0;
    });
    const afterReplay = await ok(env.a.insights.get('/expenses/suggestions?threshold=0.6'));
    expect(afterReplay.suggestions.map((s: Body) => s.description)).toEqual(['quarterly gizmo']);
    console.log(
      `expense classifier over HTTP: tenant A held-out accuracy ${after.classifier.metrics.accuracy} on ${after.classifier.metrics.heldOut} lines`,
    );

    // Dismissing hides the suggestion and changes nothing in project-costing; another tenant cannot.
    const gizmo = after.suggestions[0].expenseId;
    const foreign = await env.b.insights.post(`/expenses/${gizmo}/dismiss`, {});
    expect([foreign.status, foreign.json.code]).toEqual([404, 'INSIGHTS_EXPENSE_NOT_FOUND']);
    await ok(env.a.insights.post(`/expenses/${gizmo}/dismiss`, {}));
    const hidden = await ok(env.a.insights.get('/expenses/suggestions?threshold=0.6'));
    expect(hidden.suggestions).toEqual([]);
    expect(
      (await ok(env.a.projects.get(`/projects/${pa}/actuals`))).actuals.find(
        (x: Body) => x.sourceKey === `expense:${gizmo}`,
      ).category,
    ).toBe('uncategorised');
  });
});

describe('warehouses items', () => {
  // Items created in warehouses reach ai-insights only as warehouses.item.upserted events. A
  // categorises hardware as fasteners / adhesives; B files the same kinds of thing under names of its
  // own, so B's answers show that A's items trained nothing of B's.
  // Names per category, '; '-separated.
  const byCategory = (c: Record<string, string>) =>
    Object.entries(c).flatMap(([category, names]) =>
      names.split('; ').map((name) => [name, category] as const),
    );
  const A_ITEMS = byCategory({
    fasteners:
      'Hex bolt M8 zinc; Wood screw countersunk; Hex nut M8; Flat washer steel; Carriage bolt galvanised; Self tapping screw',
    adhesives:
      'Wood glue white; Epoxy resin clear; Contact glue tin; Sealant silicone clear; Double sided tape; Epoxy putty stick',
  });
  const B_ITEMS = byCategory({
    hardware: 'Hex bolt M6; Machine screw pan head; Lock nut nylon; Spring washer; Anchor bolt concrete',
    chemicals:
      'Wood glue express; Epoxy two part; Silicone sealant grey; Solvent cleaner; Spray adhesive can',
  });
  let n = 0;
  const item = async (t: typeof env.a, name: string, category?: string) =>
    (await ok(
      t.wh.post('/items', {
        sku: `K${++n}X${Math.random().toString(36).slice(2, 7)}`,
        name,
        uom: 'EA',
        category,
      }),
      201,
    )) as { id: string; sku: string };
  /** Waits until the tenant's item classifier has `labelled` lines and offers suggestions for `ids`. */
  async function suggested(t: typeof env.a, labelled: number, ids: string[]) {
    let body: Body;
    await env.kit.waitFor(async () => {
      const res = await t.insights.get('/items/category-suggestions?threshold=0.6&limit=500');
      body = res.json;
      const seen = new Set(res.status === 200 ? body.suggestions.map((s: Body) => s.itemId) : []);
      return (
        res.status === 200 && body.classifier.metrics.examples === labelled && ids.every((i) => seen.has(i))
      );
    }, 20_000);
    return { ...body, of: (id: string) => body.suggestions.find((s: Body) => s.itemId === id) };
  }

  it('learns from the tenant’s categorised items, suggests for new ones, applies only through warehouses', async () => {
    for (const [name, c] of A_ITEMS) await item(env.a, name, c);
    const early = await env.b.insights.get('/items/category-suggestions');
    expect([early.status, early.json.code, early.json.errors?.[0]?.field]).toEqual([
      422,
      'INSIGHTS_TOO_FEW_EXAMPLES',
      '/query',
    ]);
    for (const [name, c] of B_ITEMS) await item(env.b, name, c);
    const bolt = await item(env.a, 'Hex bolt M10 stainless');
    const glue = await item(env.a, 'Epoxy glue quick set');
    const odd = await item(env.a, 'Quarterly gizmo');
    const bBolt = await item(env.b, 'Hex bolt M12');

    const a = await suggested(env.a, A_ITEMS.length, [bolt.id, glue.id, odd.id]);
    expect(a.classifier.metrics.labels).toBe(2);
    expect(a.of(bolt.id)).toMatchObject({ sku: bolt.sku, category: 'fasteners', needsReview: false });
    expect(a.of(bolt.id).confidence).toBeGreaterThanOrEqual(0.6);
    expect(a.of(bolt.id).because).toContain('bolt');
    expect(a.of(bolt.id).apply).toEqual({
      method: 'PATCH',
      path: `/api/v1/p/warehouses/items/${bolt.id}`,
      permission: 'warehouses.items.write',
      body: { category: 'fasteners' },
    });
    expect(a.of(glue.id)).toMatchObject({ category: 'adhesives', needsReview: false });
    expect(a.of(odd.id)).toMatchObject({ category: null, needsReview: true, apply: null });
    expect(a.of(bBolt.id)).toBeUndefined();

    const b = await suggested(env.b, B_ITEMS.length, [bBolt.id]);
    expect(b.of(bBolt.id)).toMatchObject({ category: 'hardware' });
    expect(b.of(bBolt.id).ranked.map((r: Body) => r.label)).not.toContain('fasteners');
    expect(b.of(bolt.id)).toBeUndefined();

    // Applying is the user's PATCH to warehouses (another tenant's is not found there); the item
    // then comes back by event as a labelled line and leaves the queue.
    const foreign = await env.b.api.patch(a.of(bolt.id).apply.path, a.of(bolt.id).apply.body);
    expect(foreign.status).toBe(404);
    await ok(env.a.api.patch(a.of(bolt.id).apply.path, a.of(bolt.id).apply.body));
    expect((await ok(env.a.wh.get(`/items/${bolt.id}`))).category).toBe('fasteners');
    const after = await suggested(env.a, A_ITEMS.length + 1, [glue.id]);
    expect(after.classifier.version).toBe(a.classifier.version + 1);
    expect(after.of(bolt.id)).toBeUndefined();

    // Dismissing hides the suggestion and changes nothing in warehouses; another tenant cannot.
    const notB = await env.b.insights.post(`/items/${glue.id}/dismiss`, {});
    expect([notB.status, notB.json.code]).toEqual([404, 'INSIGHTS_ITEM_NOT_FOUND']);
    expect(await ok(env.a.insights.post(`/items/${glue.id}/dismiss`, {}))).toEqual({
      itemId: glue.id,
      dismissed: true,
    });
    const hidden = await ok(env.a.insights.get('/items/category-suggestions?threshold=0.6&limit=500'));
    expect(hidden.suggestions.map((s: Body) => s.itemId)).not.toContain(glue.id);
    expect((await ok(env.a.wh.get(`/items/${glue.id}`))).category).toBeNull();
    const bad = await env.a.insights.get('/items/category-suggestions?threshold=1.5');
    expect([bad.status, bad.json.errors?.[0]?.field]).toEqual([400, '/query/threshold']);
  });
});
