// The EVM S-curve drawn with Chart.js (tree-shaken to the line chart, category and linear axes,
// legend and tooltips): cumulative PV, EV and AC by date, and the forecast to EAC. Values arrive as decimal strings; Number()
// is used only to draw, never to compute; the tooltips show the exact strings. Animation is off.
import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface CurveSeries {
  labels: string[];
  /** Decimal strings; null where a figure is not known (EV and AC after the status date). */
  pv: (string | null)[];
  ev: (string | null)[];
  ac: (string | null)[];
  /** The forecast: AC at the status date and EAC at the forecast finish, null elsewhere. */
  forecast: (string | null)[];
}

export interface Look {
  text: string;
  grid: string;
  currency: string;
}

const COLOURS = { pv: '#1d4ed8', ev: '#047857', ac: '#b91c1c', forecast: '#9a3412' };
const NAMES = {
  pv: 'Planned value (PV)',
  ev: 'Earned value (EV)',
  ac: 'Actual cost (AC)',
  forecast: 'Forecast (EAC = BAC / CPI)',
};
const KEYS = ['pv', 'ev', 'ac', 'forecast'] as const;
const exact = new WeakMap<Chart, CurveSeries>();
const num = (v: string | null) => (v === null ? null : Number(v));

export function drawCurve(canvas: HTMLCanvasElement, s: CurveSeries, look: Look): Chart {
  const existing = Chart.getChart(canvas);
  if (existing) existing.destroy();
  const chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels: s.labels,
      datasets: KEYS.map((k) => ({
        label: NAMES[k],
        data: s[k].map(num),
        borderColor: COLOURS[k],
        backgroundColor: COLOURS[k],
        borderDash: k === 'pv' ? [6, 4] : k === 'forecast' ? [2, 3] : [],
        // Only the forecast joins its two points across the dates between them.
        spanGaps: k === 'forecast',
        tension: 0,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: true, position: 'bottom', labels: { color: look.text } },
        tooltip: {
          enabled: true,
          callbacks: {
            label: (c) => {
              const k = KEYS[c.datasetIndex]!;
              return `${NAMES[k]}: ${exact.get(c.chart)?.[k][c.dataIndex] ?? c.formattedValue} ${look.currency}`;
            },
          },
        },
      },
      scales: {
        x: {
          title: { display: true, text: 'Date', color: look.text },
          ticks: { color: look.text },
          grid: { color: look.grid },
        },
        y: {
          beginAtZero: true,
          title: { display: true, text: `Cumulative cost (${look.currency})`, color: look.text },
          ticks: { color: look.text },
          grid: { color: look.grid },
        },
      },
    },
  });
  exact.set(chart, s);
  return chart;
}

/** What the chart on `canvas` draws: labels, each dataset's data and label, axis titles. */
export function curveState(canvas: HTMLCanvasElement | null) {
  const c = canvas ? Chart.getChart(canvas) : undefined;
  if (!c) return undefined;
  const scales = c.options.scales as Record<string, { title?: { text?: string | string[] } }>;
  return {
    labels: [...((c.data.labels as string[]) ?? [])],
    datasets: c.data.datasets.map((d) => ({
      label: d.label ?? '',
      data: [...(d.data as (number | null)[])],
    })),
    axes: ['x', 'y'].map((k) => String(scales[k]?.title?.text ?? '')),
  };
}
