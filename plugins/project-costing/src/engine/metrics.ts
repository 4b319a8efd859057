// The earned-value indices and forecasts from the four figures (BAC, PV, EV, AC), with the PMBOK
// Guide (6th ed., §7.4.2.2) formulas. Everything is computed unrounded: variances and forecasts are
// exact decimals except where they divide (then RATIO_DECIMALS places), indices are unrounded
// ratios, and an index whose denominator is zero is null (undefined), never 0 or infinity.
// `presentMetrics` rounds the money half-up to the currency's minor unit at the edge.
import { type Dec, dec, HUNDRED, isDecimalString, money, ratio, str, ZERO } from './decimal.js';
import { refuse } from './errors.js';

export interface Figures {
  /** Budget at completion. */
  bac: string;
  /** Planned value at the status date. */
  pv: string;
  /** Earned value at the status date. */
  ev: string;
  /** Actual cost at the status date. */
  ac: string;
}

/** The three estimates at completion and what follows from each. */
export interface Forecast {
  /** Estimate at completion. */
  eac: Dec | null;
  /** Estimate to complete: EAC − AC. */
  etc: Dec | null;
  /** Variance at completion: BAC − EAC. */
  vac: Dec | null;
  /** To-complete performance index to meet this EAC: (BAC − EV) / (EAC − AC). */
  tcpi: Dec | null;
}

export interface Metrics {
  bac: Dec;
  pv: Dec;
  ev: Dec;
  ac: Dec;
  /** Cost variance EV − AC. */
  cv: Dec;
  /** Schedule variance EV − PV. */
  sv: Dec;
  /** Cost performance index EV / AC (null when AC = 0). */
  cpi: Dec | null;
  /** Schedule performance index EV / PV (null when PV = 0). */
  spi: Dec | null;
  /** Percent complete EV / BAC × 100 and percent spent AC / BAC × 100. */
  percentComplete: Dec | null;
  percentSpent: Dec | null;
  /** To-complete performance index to meet the BAC: (BAC − EV) / (BAC − AC). */
  tcpiBac: Dec | null;
  /** EAC = BAC / CPI: the remaining work performs at the cost efficiency so far ("typical"). */
  atCpi: Forecast;
  /** EAC = AC + (BAC − EV): the remaining work performs at budget ("atypical" variance). */
  atBudget: Forecast;
  /** EAC = AC + (BAC − EV) / (CPI × SPI): cost and schedule efficiency both weigh on the rest. */
  atCpiSpi: Forecast;
}

function forecast(f: { bac: Dec; ev: Dec; ac: Dec }, eac: Dec | null): Forecast {
  if (eac === null) return { eac: null, etc: null, vac: null, tcpi: null };
  return {
    eac,
    etc: eac.minus(f.ac),
    vac: f.bac.minus(eac),
    tcpi: ratio(f.bac.minus(f.ev), eac.minus(f.ac)),
  };
}

/** Checks the four figures are decimal strings (BAC, PV, EV ≥ 0; AC may be negative after credits). */
export function parseFigures(input: Figures): { bac: Dec; pv: Dec; ev: Dec; ac: Dec } {
  for (const k of ['bac', 'pv', 'ev', 'ac'] as const) {
    if (!isDecimalString(input[k])) refuse(400, 'PROJECT_INVALID_DECIMAL', k, 'must be a decimal string');
  }
  const f = { bac: dec(input.bac), pv: dec(input.pv), ev: dec(input.ev), ac: dec(input.ac) };
  for (const k of ['bac', 'pv', 'ev'] as const) {
    if (f[k].lt(ZERO)) refuse(422, 'PROJECT_NEGATIVE_VALUE', k, 'must not be negative');
  }
  return f;
}

/** Earned-value metrics from BAC, PV, EV and AC. */
export function earnedValue(input: Figures): Metrics {
  const { bac, pv, ev, ac } = parseFigures(input);
  const cpi = ratio(ev, ac);
  const spi = ratio(ev, pv);
  const remaining = bac.minus(ev);
  const f = { bac, ev, ac };

  return {
    bac,
    pv,
    ev,
    ac,
    cv: ev.minus(ac),
    sv: ev.minus(pv),
    cpi,
    spi,
    percentComplete: ratio(ev.times(HUNDRED), bac),
    percentSpent: ratio(ac.times(HUNDRED), bac),
    tcpiBac: ratio(remaining, bac.minus(ac)),
    // BAC / CPI = BAC × AC / EV: one division, so the truncated CPI is never divided again.
    atCpi: forecast(f, cpi === null ? null : ratio(bac.times(ac), ev)),
    atBudget: forecast(f, ac.plus(remaining)),
    // (BAC − EV) / (CPI × SPI) = (BAC − EV) × AC × PV / EV², again with one division.
    atCpiSpi: forecast(
      f,
      cpi === null || spi === null ? null : afterRatio(ac, remaining.times(ac).times(pv), ev.times(ev)),
    ),
  };
}

const afterRatio = (base: Dec, n: Dec, d: Dec) => {
  const r = ratio(n, d);
  return r === null ? null : base.plus(r);
};

const opt = (d: Dec | null, f: (d: Dec) => string) => (d === null ? null : f(d));

export interface PresentedForecast {
  eac: string | null;
  etc: string | null;
  vac: string | null;
  tcpi: string | null;
}

/** The JSON shape the routes answer with: money rounded half-up, ratios unrounded decimal strings. */
export interface PresentedMetrics {
  bac: string;
  pv: string;
  ev: string;
  ac: string;
  cv: string;
  sv: string;
  cpi: string | null;
  spi: string | null;
  percentComplete: string | null;
  percentSpent: string | null;
  tcpiBac: string | null;
  eac: { atCpi: PresentedForecast; atBudget: PresentedForecast; atCpiSpi: PresentedForecast };
}

export function presentMetrics(m: Metrics, decimals: number): PresentedMetrics {
  const $ = (d: Dec) => money(d, decimals);
  const fc = (f: Forecast): PresentedForecast => ({
    eac: opt(f.eac, $),
    etc: opt(f.etc, $),
    vac: opt(f.vac, $),
    tcpi: opt(f.tcpi, str),
  });
  return {
    bac: $(m.bac),
    pv: $(m.pv),
    ev: $(m.ev),
    ac: $(m.ac),
    cv: $(m.cv),
    sv: $(m.sv),
    cpi: opt(m.cpi, str),
    spi: opt(m.spi, str),
    percentComplete: opt(m.percentComplete, str),
    percentSpent: opt(m.percentSpent, str),
    tcpiBac: opt(m.tcpiBac, str),
    eac: { atCpi: fc(m.atCpi), atBudget: fc(m.atBudget), atCpiSpi: fc(m.atCpiSpi) },
  };
}
