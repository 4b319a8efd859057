// Choosing and running a forecast for one demand series. Every applicable candidate is scored by
// the same rolling-origin backtest; the lowest MASE wins (ties go to the simpler model, listed
// first). Intermittent series are ranked by squared error instead (RMSSE, as in the M5
// competition): absolute error rewards forecasting the median, which for them is 0 — a naive
// "nothing" that would never reorder. The winner is refitted on the whole history and its interval comes from its backtest
// errors. Too little history gets an answer that says so and what it would need.
import { type Backtest, backtest } from './backtest.js';
import { intervals } from './intervals.js';
import type { Accuracy } from './metrics.js';
import {
  croston,
  holtWintersAdditive,
  holtWintersMultiplicative,
  type Model,
  type ModelName,
  naive,
  sba,
  seasonalNaive,
  ses,
} from './models/index.js';

/** Fewest backtest origins a comparison rests on. */
export const MIN_ORIGINS = 4;
/** Most origins used (older history only trains). */
export const MAX_ORIGINS = 24;
/** Average inter-demand interval above which demand is intermittent (Syntetos & Boylan 2005). */
export const INTERMITTENT_ADI = 1.32;

const ALL: readonly Model[] = [
  naive,
  seasonalNaive,
  ses,
  croston,
  sba,
  holtWintersAdditive,
  holtWintersMultiplicative,
];

export interface ForecastOptions {
  /** Periods per season: 12 for months in a year, 52 for weeks, 7 for days in a week, 1 for none. */
  seasonLength: number;
  /** Periods to forecast. */
  horizon: number;
  /** Nominal coverage of the prediction interval, in (0, 1); default 0.8. */
  level?: number;
  /** Restrict the candidates (the baselines are always scored, for the metrics). */
  models?: readonly ModelName[];
}

export interface Insufficient {
  status: 'insufficient-history';
  /** Periods of history given. */
  have: number;
  /** Periods the shortest usable comparison needs. */
  need: number;
  /** Periods the seasonal models would need. */
  needSeasonal: number;
  message: string;
}

export interface Candidate {
  model: ModelName;
  mase: number;
  mape: number | null;
}

export interface Forecast {
  status: 'ok';
  model: ModelName;
  params: Record<string, number>;
  pattern: 'smooth' | 'intermittent';
  seasonLength: number;
  level: number;
  point: number[];
  lower: number[];
  upper: number[];
  /** Forecast error standard deviation per horizon (backtest RMSE). */
  sigma: number[];
  /** The chosen model's backtest accuracy, and the baselines'. */
  metrics: Accuracy & {
    origins: number;
    naive: Candidate;
    seasonalNaive: Candidate | null;
    /** 1 − MASE(model) / MASE(seasonal naive, or naive): the share of the baseline's error removed. */
    skill: number;
  };
  candidates: Candidate[];
  /** Why this model, in words. */
  explanation: string;
}

/** Average interval between periods with demand (∞ when there is none). */
export function averageDemandInterval(y: readonly number[]): number {
  const nonZero = y.filter((v) => v > 0).length;
  return nonZero ? y.length / nonZero : Number.POSITIVE_INFINITY;
}

/** Periods of history the forecaster needs: at all, and for the seasonal models. */
export function historyNeeded(seasonLength: number) {
  return {
    need: Math.max(naive.minLength(1), ses.minLength(1)) + MIN_ORIGINS,
    needSeasonal: holtWintersAdditive.minLength(seasonLength) + MIN_ORIGINS,
  };
}

export function forecast(y: readonly number[], opts: ForecastOptions): Forecast | Insufficient {
  const m = Math.max(1, Math.floor(opts.seasonLength));
  const H = opts.horizon;
  const level = opts.level ?? 0.8;
  if (!(level > 0 && level < 1)) throw new RangeError('level must be in (0, 1)');
  if (!(Number.isInteger(H) && H >= 1)) throw new RangeError('horizon must be a positive integer');
  const n = y.length;
  const { need, needSeasonal } = historyNeeded(m);
  const adi = averageDemandInterval(y);
  if (n < need || adi === Number.POSITIVE_INFINITY) {
    return {
      status: 'insufficient-history',
      have: n,
      need,
      needSeasonal,
      message:
        adi === Number.POSITIVE_INFINITY && n >= need
          ? `no demand in the ${n} periods of history: nothing to forecast from`
          : `${n} periods of history; a forecast needs at least ${need} (seasonal models ${needSeasonal})`,
    };
  }
  const pattern = adi > INTERMITTENT_ADI ? 'intermittent' : 'smooth';
  const wanted = new Set<ModelName>(opts.models ?? ALL.map((c) => c.name));
  const usable = ALL.filter(
    (c) =>
      (wanted.has(c.name) || c === naive || c === seasonalNaive) &&
      c.minLength(m) <= n - MIN_ORIGINS &&
      c.applies(y, m) &&
      // Croston's methods are for intermittent demand; on smooth series they are a poor SES.
      (pattern === 'intermittent' || (c !== croston && c !== sba)),
  );
  const longest = Math.max(...usable.map((c) => c.minLength(m)));
  const firstOrigin = Math.max(longest, n - MAX_ORIGINS);
  const scored = usable.map((c) => backtest(c, y, m, firstOrigin, H));
  const candidates: Candidate[] = scored.map((s) => ({
    model: s.model,
    mase: s.accuracy.mase,
    mape: s.accuracy.mape,
  }));
  const pool = scored.filter((s) => wanted.has(s.model));
  const score = (b: Backtest) => (pattern === 'intermittent' ? b.accuracy.rmse : b.accuracy.mase);
  const best = (pool.length ? pool : scored).reduce((a, b) => (score(b) < score(a) - 1e-12 ? b : a));
  const chosen = usable.find((c) => c.name === best.model)!;
  const params = chosen.fit(y, m);
  const point = chosen.run(y, m, params).forecastAt(n, H);
  const band = intervals(point, best.errors, level);
  const base = (name: ModelName) => candidates.find((c) => c.model === name) ?? null;
  const naiveC = base('naive')!;
  const seasonalC = base('seasonal-naive');
  const reference = seasonalC ?? naiveC;
  return {
    status: 'ok',
    model: best.model,
    params,
    pattern,
    seasonLength: m,
    level,
    point,
    lower: band.lower,
    upper: band.upper,
    sigma: band.sigma,
    metrics: {
      ...best.accuracy,
      origins: n - firstOrigin,
      naive: naiveC,
      seasonalNaive: seasonalC,
      skill: reference.mase > 0 ? 1 - best.accuracy.mase / reference.mase : 0,
    },
    candidates,
    explanation: explain(best, reference, pattern, n - firstOrigin),
  };
}

function explain(best: Backtest, reference: Candidate, pattern: string, origins: number): string {
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const vs =
    best.model === reference.model
      ? 'no model beat it'
      : `${pct(1 - best.accuracy.mase / reference.mase)} less error than ${reference.model} (MASE ${reference.mase.toFixed(2)})`;
  const by = pattern === 'intermittent' ? 'squared error' : 'error';
  return `${pattern} demand; ${best.model} had the lowest backtest ${by} over ${origins} rolling origins (MASE ${best.accuracy.mase.toFixed(2)}), ${vs}`;
}
