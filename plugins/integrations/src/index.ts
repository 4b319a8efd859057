// Integrations: webhooks to the tenant's own endpoints for the events of its installed plugins,
// signed per Standard Webhooks, retried with backoff, ordered on request, logged, dead-lettered
// and replayable; CSV/XLSX imports into the targets plugins apply; filtered CSV/NDJSON/XLSX exports.
// (OAuth apps are a kernel capability: kernel/src/oauth.)
import { definePlugin, type EventEnvelope, type PluginContext } from '@erp/sdk';
import {
  exportEvents,
  exportRoutes,
  isExportPage,
  runDueSchedules,
  takePage,
  writeXlsx,
  XLSX_JOB,
} from './exports/index.js';
import {
  COMMIT_JOB,
  commitImport,
  importEvents,
  importRoutes,
  isImportAnswer,
  PARSE_JOB,
  parseWindow,
  takeAnswer,
  WATCH_JOB,
  watchImports,
} from './imports/index.js';
import {
  fanOut,
  PUMP_JOB,
  pumpEndpoint,
  sweepEndpoints,
  webhookConfigSchema,
  webhookEvents,
  webhookRoutes,
} from './webhooks/index.js';

/** The one catch-all subscription: every event may go to webhooks; import answers also update imports. */
async function onEvent(ctx: PluginContext, event: EventEnvelope): Promise<void> {
  if (isImportAnswer(event.type)) await takeAnswer(ctx, event);
  if (isExportPage(event.type)) await takePage(ctx, event);
  await fanOut(ctx, event);
}

export default definePlugin({
  events: { ...webhookEvents, ...importEvents, ...exportEvents },
  routes: { ...webhookRoutes, ...importRoutes, ...exportRoutes },
  subscriptions: {
    // Every event type of the tenant's installed plugins (events:subscribe:* in the manifest).
    'webhooks.fan-out': { event: '*', handler: onEvent },
  },
  jobs: {
    [PUMP_JOB]: {
      async handler(ctx, payload) {
        await pumpEndpoint(ctx, (payload as { endpointId: string }).endpointId);
      },
    },
    'webhook-sweep': { cron: '* * * * *', handler: sweepEndpoints },
    'export-schedules': { cron: '* * * * *', handler: runDueSchedules },
    [WATCH_JOB]: { cron: '* * * * *', handler: watchImports },
    [XLSX_JOB]: {
      async handler(ctx, payload) {
        await writeXlsx(ctx, (payload as { exportId: string }).exportId);
      },
    },
    [PARSE_JOB]: {
      async handler(ctx, payload) {
        const p = payload as { importId: string; offset: number };
        await parseWindow(ctx, p.importId, p.offset);
      },
    },
    [COMMIT_JOB]: {
      async handler(ctx, payload) {
        await commitImport(ctx, (payload as { importId: string }).importId);
      },
    },
  },
  configSchema: webhookConfigSchema,
});
