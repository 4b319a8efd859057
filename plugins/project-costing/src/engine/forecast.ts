// Forecast to completion: the three EACs come from `earnedValue`; the finish date is forecast by
// stretching the planned duration (in working days) by 1 / SPI — the simple SPI-based duration
// estimate of the PMBOK Guide's EVM practice. With no schedule performance yet (SPI undefined or
// 0), or when every activity is done, no date is forecast beyond the plan.
import { afterWorkingDays, workingDays } from './calendar.js';
import { type Dec, dec, ZERO } from './decimal.js';
import type { Metrics } from './metrics.js';

export interface FinishForecast {
  plannedFinish: string;
  /** null when SPI is undefined or zero. */
  forecastFinish: string | null;
  /** Working days the forecast is late (positive) or early (negative). */
  slipWorkingDays: number | null;
}

export function forecastFinish(startsOn: string, endsOn: string, m: Metrics): FinishForecast {
  const planned = workingDays(startsOn, endsOn);
  if (m.ev.gte(m.bac) && m.bac.gt(ZERO))
    return { plannedFinish: endsOn, forecastFinish: endsOn, slipWorkingDays: 0 };
  if (m.spi === null || m.spi.eq(ZERO) || planned === 0)
    return { plannedFinish: endsOn, forecastFinish: null, slipWorkingDays: null };
  // Working days needed, rounded up to a whole day: a day begun is a day used.
  const needed = dec(String(planned))
    .div(m.spi as Dec)
    .round(0, 3)
    .toNumber();
  const finish = needed < 1 ? startsOn : afterWorkingDays(startsOn, needed);
  return {
    plannedFinish: endsOn,
    forecastFinish: finish,
    slipWorkingDays: needed - planned,
  };
}
