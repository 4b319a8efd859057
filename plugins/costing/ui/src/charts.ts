// The report's two charts, drawn with Chart.js (tree-shaken to the line and bar charts, category
// and linear axes, legend and tooltips). Values arrive as decimal strings; Number() is used only to
// draw, never to compute. Animation is off: the report should show figures, not motion.
import {
  BarController,
  BarElement,
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
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
  Filler,
);

export interface Series {
  labels: string[];
  /** Decimal strings, as the API gave them. */
  values: string[];
}

/** The exact decimal strings behind each chart's numbers, for its tooltips. */
const decimals = new WeakMap<Chart, string[]>();

export interface ChartLook {
  label: string;
  x: string;
  /** The series colour, and the text and grid colours (the shell's theme tokens, light or dark). */
  colour: string;
  text: string;
  grid: string;
}

function config(kind: 'line' | 'bar', s: Series, o: ChartLook): ChartConfiguration {
  return {
    type: kind,
    data: {
      labels: s.labels,
      datasets: [
        {
          label: o.label,
          data: s.values.map(Number),
          borderColor: o.colour,
          backgroundColor: kind === 'bar' ? o.colour : `${o.colour}33`,
          fill: kind === 'line',
          tension: 0,
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: true, position: 'bottom', labels: { color: o.text } },
        tooltip: {
          enabled: true,
          callbacks: {
            label: (c) => `${o.label}: ${decimals.get(c.chart)?.[c.dataIndex] ?? c.formattedValue}`,
          },
        },
      },
      scales: {
        x: {
          title: { display: true, text: o.x, color: o.text },
          ticks: { color: o.text },
          grid: { color: o.grid },
        },
        y: {
          beginAtZero: true,
          title: { display: true, text: 'Value', color: o.text },
          ticks: { color: o.text },
          grid: { color: o.grid },
        },
      },
    },
  };
}

/** Draws on `canvas`, or updates the chart already there. */
export function drawChart(canvas: HTMLCanvasElement, kind: 'line' | 'bar', s: Series, o: ChartLook): Chart {
  const existing = Chart.getChart(canvas);
  if (existing) {
    existing.data.labels = s.labels;
    const ds = existing.data.datasets[0]!;
    ds.data = s.values.map(Number);
    decimals.set(existing, s.values);
    existing.update();
    return existing;
  }
  const chart = new Chart(canvas, config(kind, s, o));
  decimals.set(chart, s.values);
  return chart;
}

/** What a chart on `canvas` shows: labels, data, legend, axis titles and any open tooltip's lines. */
export function chartState(canvas: HTMLCanvasElement | null) {
  const c = canvas ? Chart.getChart(canvas) : undefined;
  if (!c) return undefined;
  const scales = c.options.scales as Record<string, { title?: { text?: string | string[] } }>;
  return {
    labels: [...((c.data.labels as string[]) ?? [])],
    data: [...((c.data.datasets[0]?.data as number[] | undefined) ?? [])],
    legend: c.data.datasets.map((d) => d.label ?? ''),
    axes: ['x', 'y'].map((k) => String(scales[k]?.title?.text ?? '')),
    tooltip: c.tooltip?.getActiveElements().length ? c.tooltip.body.flatMap((b) => b.lines) : [],
  };
}
