// Retraining as a job: the cron schedule enqueues it once per period for every tenant with the
// plugin (each run sees only its tenant's rows), and POST /models/retrain enqueues it on demand.
// A payload naming one series retrains that one; an empty one retrains every series with demand
// and every categorization domain.
import type { PluginJob } from '@erp/sdk';
import { MIN_EXAMPLES, trainableDomains, trainClassifier } from '../categories/index.js';
import { seriesKeys } from '../history/index.js';
import { train } from './train.js';

export const jobs: Record<string, PluginJob> = {
  retrain: {
    cron: '0 3 * * *',
    async handler(ctx, payload) {
      const p = (payload ?? {}) as { itemId?: string; warehouseId?: string };
      const keys =
        p.itemId && p.warehouseId
          ? [{ itemId: p.itemId, warehouseId: p.warehouseId }]
          : await seriesKeys(ctx);
      for (const k of keys) await train(ctx, k.itemId, k.warehouseId, 'schedule');
      // The classifiers too, on a full run: every domain with enough labelled lines.
      const domains = p.itemId
        ? []
        : await ctx.db.query<{ domain: string }>(trainableDomains(), [MIN_EXAMPLES]);
      for (const d of domains) await trainClassifier(ctx, d.domain, 'schedule');
      ctx.log.info('ai-insights models retrained', { series: keys.length, classifiers: domains.length });
    },
  },
};
