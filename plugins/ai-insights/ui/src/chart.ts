// The forecast chart, drawn with Chart.js as the costing report draws its charts (tree-shaken to
// the line chart, category and linear axes, legend, tooltip and the filler for the interval
// band): history, forecast, and the prediction interval as a band between its lower and upper
// lines. Values arrive as decimal strings; Number() is used only to draw.
import {
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
  Filler,
);

export interface ForecastSeries {
  labels: string[];
  /** null where a dataset has no value for a period (history ends where the forecast begins). */
  history: (number | null)[];
  forecast: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
  level: number;
}

export interface Look {
  accent: string;
  text: string;
  grid: string;
}

function config(s: ForecastSeries, o: Look): ChartConfiguration {
  const pct = Math.round(s.level * 100);
  return {
    type: 'line',
    data: {
      labels: s.labels,
      datasets: [
        { label: 'Demand', data: s.history, borderColor: o.text, backgroundColor: o.text, tension: 0 },
        {
          label: 'Forecast',
          data: s.forecast,
          borderColor: o.accent,
          backgroundColor: o.accent,
          borderDash: [6, 4],
          tension: 0,
        },
        {
          label: `${pct}% interval (low)`,
          data: s.lower,
          borderColor: `${o.accent}66`,
          pointRadius: 0,
          fill: false,
        },
        {
          label: `${pct}% interval`,
          data: s.upper,
          borderColor: `${o.accent}66`,
          backgroundColor: `${o.accent}22`,
          pointRadius: 0,
          fill: '-1',
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: {
          position: 'bottom',
          labels: { color: o.text, filter: (item) => !item.text.endsWith('(low)') },
        },
        tooltip: { enabled: true },
      },
      scales: {
        x: {
          title: { display: true, text: 'Period', color: o.text },
          ticks: { color: o.text },
          grid: { color: o.grid },
        },
        y: {
          beginAtZero: true,
          title: { display: true, text: 'Quantity', color: o.text },
          ticks: { color: o.text },
          grid: { color: o.grid },
        },
      },
    },
  };
}

export function drawForecast(canvas: HTMLCanvasElement, s: ForecastSeries, o: Look): Chart {
  Chart.getChart(canvas)?.destroy();
  return new Chart(canvas, config(s, o));
}

/** What the chart draws (for tests): labels and each dataset's label and data. */
export function chartState(canvas: HTMLCanvasElement | null) {
  const c = canvas ? Chart.getChart(canvas) : undefined;
  if (!c) return undefined;
  return {
    labels: [...((c.data.labels as string[]) ?? [])],
    datasets: c.data.datasets.map((d) => ({
      label: d.label ?? '',
      data: [...(d.data as (number | null)[])],
    })),
  };
}
