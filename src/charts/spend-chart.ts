// Renders "spend per day by model" as a PNG for Discord: Chart.js drawing on a Skia canvas
// (@napi-rs/canvas, prebuilt binaries from npm, no system libraries). Takes plain data only.
//
// Both libraries load on the first chart, not at start: Skia and its font scan cost the bot
// about 25 MiB of memory that most processes never use (bench: bot.rss.idleMiB).
import { existsSync } from 'node:fs';
import type * as Skia from '@napi-rs/canvas';
import type * as ChartJs from 'chart.js';

type ChartLibraries = { canvas: typeof Skia; chart: typeof ChartJs };
let libraries: Promise<ChartLibraries> | undefined;
function loadLibraries(): Promise<ChartLibraries> {
  libraries ??= Promise.all([import('@napi-rs/canvas'), import('chart.js')]).then(([canvas, chart]) => {
    const { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Title } = chart;
    Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Title);
    return { canvas, chart };
  });
  return libraries;
}

export interface SpendChartInput {
  /** `YYYY-MM-DD`, oldest first. */
  readonly days: readonly string[];
  /** One stacked series per model, values aligned with `days`. */
  readonly series: readonly { readonly label: string; readonly values: readonly number[] }[];
  readonly title: string;
}

export const SPEND_CHART_SIZE = { width: 1200, height: 600 } as const;

// Discord's dark theme: the chart sits on its own dark card with light text.
const theme = { background: '#2b2d31', text: '#dbdee1', grid: 'rgba(219, 222, 225, 0.12)' };
// Distinct on dark backgrounds; repeats after eight models.
const palette = ['#5865f2', '#57f287', '#fee75c', '#eb459e', '#ed4245', '#3ba55c', '#faa61a', '#00b0f4'];

const FONT_FAMILY = 'DejaVu Sans';
const fontFile = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
let fontRegistered = false;
function registerFont(GlobalFonts: ChartLibraries['canvas']['GlobalFonts']): string {
  // Without an explicit font, glyphs depend on what the host has; DejaVu is on Debian images.
  if (!fontRegistered && existsSync(fontFile)) fontRegistered = GlobalFonts.registerFromPath(fontFile, FONT_FAMILY) !== null;
  return fontRegistered ? FONT_FAMILY : 'sans-serif';
}

/** `2026-11-05` → `Nov 5`. */
const shortDay = (day: string): string => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

export async function renderSpendChart(input: SpendChartInput): Promise<Buffer> {
  const {
    canvas: { createCanvas, GlobalFonts },
    chart: { Chart },
  } = await loadLibraries();
  const { width, height } = SPEND_CHART_SIZE;
  Chart.defaults.font.family = registerFont(GlobalFonts);
  Chart.defaults.font.size = 16;
  Chart.defaults.color = theme.text;

  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  const config: ChartJs.ChartConfiguration<'bar', number[], string> = {
    type: 'bar',
    data: {
      labels: input.days.map(shortDay),
      datasets: input.series.map((series, i) => ({
        label: series.label,
        data: [...series.values],
        backgroundColor: palette[i % palette.length],
        borderWidth: 0,
      })),
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      layout: { padding: 16 },
      plugins: {
        title: { display: true, text: input.title, font: { size: 22, weight: 'bold' }, padding: { bottom: 12 } },
        legend: { position: 'top', labels: { boxWidth: 18, padding: 16 } },
      },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 } },
        y: {
          stacked: true,
          beginAtZero: true,
          grid: { color: theme.grid },
          title: { display: true, text: 'credits spent' },
          ticks: { precision: 0 },
        },
      },
    },
    plugins: [
      {
        // Paint the background first: PNGs are transparent otherwise, unreadable on light themes.
        id: 'background',
        beforeDraw: (chart) => {
          chart.ctx.save();
          chart.ctx.fillStyle = theme.background;
          chart.ctx.fillRect(0, 0, chart.width, chart.height);
          chart.ctx.restore();
        },
      },
    ],
  };
  // Chart.js types expect a DOM canvas context; Skia's 2D context implements the same API.
  const chart = new Chart(context as unknown as ConstructorParameters<typeof Chart>[0], config);
  const png = canvas.toBuffer('image/png');
  chart.destroy();
  return png;
}
