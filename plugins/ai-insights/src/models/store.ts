// Reading models and their predictions back.
import type { Ctx } from '../shared/index.js';

export interface ModelRow {
  id: string;
  itemId: string;
  warehouseId: string;
  version: number;
  status: 'ok' | 'insufficient-history';
  model: string | null;
  params: Record<string, number>;
  period: string;
  seasonLength: number;
  trainedFrom: string | null;
  trainedTo: string | null;
  historyPeriods: number;
  metrics: Record<string, unknown> | null;
  drift: Record<string, unknown> | null;
  explanation: string;
  trainedBy: string;
  createdAt: string;
}

const COLUMNS = `id, item_id as "itemId", warehouse_id as "warehouseId", version, status, model, params,
  period, season_length as "seasonLength", trained_from::text as "trainedFrom", trained_to::text as "trainedTo",
  history_periods as "historyPeriods", metrics, drift, explanation, trained_by as "trainedBy",
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt"`;

export const modelById = (ctx: Ctx, id: string) =>
  ctx.db.one<ModelRow>(`select ${COLUMNS} from models where id = $1`, [id]);

export const latestModel = (ctx: Ctx, itemId: string, warehouseId: string) =>
  ctx.db.one<ModelRow>(
    `select ${COLUMNS} from models where item_id = $1 and warehouse_id = $2 order by version desc limit 1`,
    [itemId, warehouseId],
  );

export const modelVersions = (ctx: Ctx, itemId: string, warehouseId: string) =>
  ctx.db.query<ModelRow>(
    `select ${COLUMNS} from models where item_id = $1 and warehouse_id = $2 order by version desc`,
    [itemId, warehouseId],
  );

export interface PredictionRow {
  periodStart: string;
  horizon: number;
  point: string;
  lower: string;
  upper: string;
  sigma: string;
}

export const predictionsOf = (ctx: Ctx, modelId: string, horizon: number) =>
  ctx.db.query<PredictionRow>(
    `select period_start::text as "periodStart", horizon, trim_scale(point)::text as point,
            trim_scale(lower)::text as lower, trim_scale(upper)::text as upper, trim_scale(sigma)::text as sigma
       from predictions where model_id = $1 and horizon <= $2 order by horizon`,
    [modelId, horizon],
  );
