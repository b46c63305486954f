/**
 * Charts drawn on the server as inline SVG: no script, no style attribute
 * (the content security policy allows neither), only presentation attributes
 * and classes. Each chart is an image with a title and a description that
 * states every figure, and comes with a table of the same figures for
 * screen readers.
 */

export interface Bar {
  label: string;
  /** null: no figure (nothing to measure), drawn as no bar with its text. */
  value: number | null;
  /** The figure as printed at the end of the bar and in the table. */
  valueText: string;
  tone?: 'brand' | 'danger' | 'warn';
}

export interface Tick {
  value: number;
  label: string;
}

export interface BarChartProps {
  /** Unique on the page: the title and description are referenced by it. */
  id: string;
  title: string;
  /** Every figure in words; what a screen reader announces for the image. */
  desc: string;
  categoryAxis: string;
  valueAxis: string;
  bars: Bar[];
  /** The value axis, from 0 to the last tick. */
  ticks: Tick[];
}

/** AA contrast on white for text; the bar colours of the stylesheet's palette. */
const INK = '#1b1f24';
const MUTED = '#4a5360';
const GRID = '#c9d0da';
const TONES = { brand: '#0b4f9c', danger: '#a4161a', warn: '#7a4a00' } as const;

/** A narrow drawing, so its text stays readable when a phone scales it to its width. */
const WIDTH = 360;
const LEFT = 8;
/** Room after the longest bar for its figure. */
const BAR_AREA = WIDTH - LEFT - 90;
const TOP = 30;
const ROW = 40;
/** A second line of a long label. */
const LINE = 16;

/** About as many Latin characters as fit on a row; a Chinese character takes nearly two. */
const ROW_CHARS = 48;

/** How many characters of `text` fit in `room`. */
function fitting(text: string, room: number): number {
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    used += text.charCodeAt(i) > 0x2e7f ? 1.85 : 1;
    if (used > room) return i;
  }
  return text.length;
}

/**
 * A label on at most two lines of the row's width, broken at a space where
 * there is one; what does not fit is cut with an ellipsis (the full text is
 * in the description and the table).
 */
export function labelLines(label: string, room = ROW_CHARS): string[] {
  const first = fitting(label, room);
  if (first >= label.length) return [label];
  const space = label.lastIndexOf(' ', first);
  const at = space > 0 ? space : first;
  const rest = label.slice(at).trimStart();
  const second = fitting(rest, room);
  return [label.slice(0, at), second >= rest.length ? rest : `${rest.slice(0, Math.max(0, second - 1))}…`];
}

/** Ticks 0, step, … covering `max` for counts: whole numbers, at most about five intervals. */
export function countTicks(max: number, format: (n: number) => string = String): Tick[] {
  const top = Math.max(1, max);
  const rough = top / 5;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude);
  const last = Math.ceil(top / step) * step;
  return Array.from({ length: last / step + 1 }, (_, i) => ({ value: i * step, label: format(i * step) }));
}

/**
 * A horizontal bar chart: each category's label above its bar, the figure
 * after the bar, the value axis with its ticks and title below, the category
 * axis title above. Scales to the width of its container.
 */
export function BarChart({ id, title, desc, categoryAxis, valueAxis, bars, ticks }: BarChartProps) {
  const max = ticks.at(-1)?.value || 1;
  const x = (v: number) => LEFT + (BAR_AREA * Math.min(v, max)) / max;
  const rows = bars.map((b) => ({ ...b, lines: labelLines(b.label) }));
  const tops = rows.reduce<number[]>((acc, r, i) => [...acc, i === 0 ? TOP : acc[i - 1]! + ROW + (rows[i - 1]!.lines.length - 1) * LINE], []);
  const axisY = (rows.length ? tops.at(-1)! + ROW + (rows.at(-1)!.lines.length - 1) * LINE : TOP) + 4;
  const height = axisY + 44;
  return (
    <svg role="img" aria-labelledby={`${id}-title ${id}-desc`} class="chart" width="100%" viewBox={`0 0 ${WIDTH} ${height}`} font-size="13">
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      <text x={LEFT} y={16} fill={MUTED} font-weight="600">
        {categoryAxis}
      </text>
      {ticks.map((t) => (
        <line x1={x(t.value)} x2={x(t.value)} y1={TOP} y2={axisY} stroke={GRID} stroke-width="1" />
      ))}
      {rows.map((b, i) => {
        const top = tops[i]! + (b.lines.length - 1) * LINE;
        const end = b.value === null ? LEFT : x(b.value);
        return (
          <g>
            {b.lines.map((line, n) => (
              <text x={LEFT} y={tops[i]! + 13 + n * LINE} fill={INK}>
                {line}
              </text>
            ))}
            {b.value !== null && b.value > 0 ? <rect x={LEFT} y={top + 18} width={end - LEFT} height="14" fill={TONES[b.tone ?? 'brand']} /> : null}
            <text x={end + 6} y={top + 30} fill={INK} font-weight="600">
              {b.valueText}
            </text>
          </g>
        );
      })}
      <line x1={LEFT} x2={LEFT + BAR_AREA} y1={axisY} y2={axisY} stroke={MUTED} stroke-width="1" />
      {ticks.map((t, i) => (
        // The first label starts at the axis, so it is not cut at the drawing's edge.
        <text x={x(t.value)} y={axisY + 16} fill={MUTED} font-size="12" text-anchor={i === 0 ? 'start' : 'middle'}>
          {t.label}
        </text>
      ))}
      <text x={LEFT + BAR_AREA / 2} y={axisY + 36} fill={MUTED} font-weight="600" text-anchor="middle">
        {valueAxis}
      </text>
    </svg>
  );
}

/**
 * The chart's figures as a table, read by screen readers and hidden from
 * view. Hidden by its wrapper: a table is never narrower than its content, so
 * hidden itself it would still widen the page on a phone.
 */
export function ChartTable({ caption, headers, rows }: { caption: string; headers: [string, ...string[]]; rows: string[][] }) {
  return (
    <div class="visually-hidden">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {headers.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([head, ...cells]) => (
            <tr>
              <th scope="row">{head}</th>
              {cells.map((cell) => (
                <td>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
