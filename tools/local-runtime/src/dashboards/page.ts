import { readFileSync } from 'node:fs';
import type { WidgetData } from './widget-data';

/** Grid rows (44 px) a table of `rows` rows needs, with its title and header. */
export function tableHeight(rows: number): number {
  return Math.max(2, Math.ceil((rows + 3) / 2));
}

/** A widget the page draws: a dashboard's, or a report's own (tables, plain graphs). */
export type PageWidget =
  | WidgetData
  | {
      type: 'table';
      title: string;
      x: number;
      y: number;
      width: number;
      height: number;
      columns: string[];
      rows: TableCell[][];
    };

/** A table cell: text, a number, or an alarm state drawn as a badge. */
export type TableCell = string | number | { state: string; label?: string };

export interface PageSection {
  heading: string;
  /** Shown under the heading (plain text). */
  note?: string;
  widgets: PageWidget[];
}

export interface PageOptions {
  title: string;
  subtitle?: string;
  sections: PageSection[];
  /** Live pages fetch `{ sections }` from here every `intervalMs` and redraw. */
  live?: { dataUrl: string; intervalMs: number };
  /** Links shown in the header: label → href. */
  links?: Record<string, string>;
}

let uplot: { js: string; css: string } | undefined;

/** uPlot (installed from npm, pinned), inlined: the page needs nothing but itself. */
function uplotAssets(): { js: string; css: string } {
  uplot ??= {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return uplot;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a <script>: `</script>` and friends cannot close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * One self-contained HTML page (no CDN, no other request unless live): a 24-column grid of widgets
 * placed as CloudWatch places them (x, y, width, height), metric widgets drawn with uPlot, alarm
 * widgets as state lists, text widgets as markdown, tables as tables. Every drawn metric widget
 * carries `data-points` (the datapoints it drew), so a headless browser can tell which have data.
 */
export function renderPage(options: PageOptions): string {
  const assets = uplotAssets();
  const links = Object.entries(options.links ?? {})
    .map(([label, href]) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`)
    .join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="data:,">
<style>${assets.css}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f2f3f3;color:#16191f}
header{background:#232f3e;color:#fff;padding:10px 18px}header h1{font-size:18px;margin:0}header p{margin:4px 0 0;font-size:13px;color:#d5dbdb}
header a{color:#ffb84d}main{padding:12px 18px}h2{font-size:16px;margin:18px 0 4px}.note{font-size:12px;color:#545b64;margin:0 0 8px}
.grid{display:grid;grid-template-columns:repeat(24,1fr);grid-auto-rows:44px;gap:8px}
.w{background:#fff;border:1px solid #d5dbdb;border-radius:2px;padding:6px 8px;overflow:auto;box-sizing:border-box}
.w h3{font-size:13px;margin:0 0 4px;font-weight:600}.w .empty{font-size:12px;color:#879596}.w .err{font-size:12px;color:#d13212}
.alarms{list-style:none;margin:0;padding:0;font-size:12px}.alarms li{padding:2px 0;display:flex;gap:6px;align-items:baseline}
.s{display:inline-block;min-width:74px;padding:0 4px;border-radius:2px;font-weight:600;font-size:11px;text-align:center}
.s-ALARM{background:#d13212;color:#fff}.s-OK{background:#1d8102;color:#fff}.s-INSUFFICIENT_DATA{background:#879596;color:#fff}
table{border-collapse:collapse;font-size:12px;width:100%}th,td{border-bottom:1px solid #eaeded;padding:3px 6px;text-align:left;vertical-align:top}th{background:#fafafa}
.md h1{font-size:16px;margin:0}.md p{margin:4px 0;font-size:13px}
.single{font-size:28px;font-weight:300;margin:4px 0}.single small{display:block;font-size:11px;color:#545b64}
</style>
</head>
<body>
<header><h1>${escapeHtml(options.title)}</h1>${options.subtitle || links ? `<p>${escapeHtml(options.subtitle ?? '')}${links ? ` ${links}` : ''}</p>` : ''}</header>
<main id="main"></main>
<script>${assets.js}</script>
<script>
const PAGE = ${scriptJson({ sections: options.sections, live: options.live ?? null })};
${CLIENT}
</script>
</body>
</html>
`;
}

/** The page's own script: draws PAGE.sections, and redraws them from PAGE.live.dataUrl. */
const CLIENT = String.raw`
const esc = (t) => String(t).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
const COLORS = ['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf'];
const plots = [];
function markdown(text) {
  return esc(text).split(/\n/).map((line) => {
    const h = /^(#{1,3}) (.*)$/.exec(line);
    if (h) return '<h1>' + h[2] + '</h1>';
    return line.trim() === '' ? '' : '<p>' + line.replace(/\*\*(.+?)\*\*/g, '<b>$1</b>') + '</p>';
  }).join('');
}
function fmt(v) { return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toPrecision(3); }
function drawMetric(el, w) {
  const lines = w.lines || [];
  const errors = lines.filter((l) => l.error);
  let total = 0;
  for (const l of lines) total += l.points.length;
  el.dataset.points = String(total);
  if (errors.length) el.insertAdjacentHTML('beforeend', errors.map((l) => '<div class="err">' + esc(l.label) + ': ' + esc(l.error) + '</div>').join(''));
  if (total === 0) { el.insertAdjacentHTML('beforeend', '<div class="empty">No data for this time range.</div>'); return; }
  if (w.view === 'singleValue') {
    el.insertAdjacentHTML('beforeend', lines.filter((l) => l.points.length).map((l) => '<div class="single">' + fmt(l.points[l.points.length - 1][1]) + '<small>' + esc(l.label) + '</small></div>').join(''));
    return;
  }
  const xs = [...new Set(lines.flatMap((l) => l.points.map((p) => p[0])))].sort((a, b) => a - b);
  const data = [xs.map((x) => x / 1000)];
  const series = [{}];
  lines.forEach((l, i) => {
    const byX = new Map(l.points);
    data.push(xs.map((x) => (byX.has(x) ? byX.get(x) : null)));
    series.push({ label: l.label, stroke: COLORS[i % COLORS.length], width: 1.5, points: { show: xs.length < 40 } });
  });
  (w.annotations || []).forEach((a) => {
    data.push(xs.map(() => a.value));
    series.push({ label: (a.label || 'annotation') + ' (' + fmt(a.value) + ')', stroke: '#aab7b8', dash: [6, 4], width: 1, points: { show: false } });
  });
  const width = Math.max(200, el.clientWidth - 16);
  const height = Math.max(80, el.clientHeight - 60);
  const pad = (lines[0] && lines[0].periodMs ? lines[0].periodMs : 60000) / 1000;
  // One point: uPlot would stretch the axis over years; show a period either side instead.
  const only = xs.length === 1 ? xs[0] / 1000 : undefined;
  const scales = { x: { time: true, range: (u, min, max) => (only !== undefined ? [only - pad, only + pad] : min === max ? [min - pad, max + pad] : [min, max]) } };
  plots.push(new uPlot({ width, height, series, scales, axes: [{}, { size: 50, values: (u, vals) => vals.map(fmt) }], legend: { show: true }, cursor: { drag: { x: false, y: false } } }, data, el));
}
function drawWidget(w) {
  const el = document.createElement('div');
  el.className = 'w w-' + w.type;
  el.style.gridColumn = (w.x + 1) + ' / span ' + Math.max(1, Math.min(24, w.width));
  el.style.gridRow = (w.y + 1) + ' / span ' + Math.max(1, w.height);
  if (w.title) el.insertAdjacentHTML('beforeend', '<h3>' + esc(w.title) + '</h3>');
  el.dataset.type = w.type;
  return el;
}
function fill(el, w) {
  if (w.type === 'metric') drawMetric(el, w);
  else if (w.type === 'alarm') {
    el.dataset.points = String(w.alarms.length);
    el.insertAdjacentHTML('beforeend', '<ul class="alarms">' + w.alarms.map((a) => '<li title="' + esc(a.reason) + '"><span class="s s-' + a.state + '">' + a.state.replace('INSUFFICIENT_DATA', 'NO DATA') + '</span>' + esc(a.name) + '</li>').join('') + '</ul>');
  } else if (w.type === 'text') { el.classList.add('md'); el.innerHTML = markdown(w.markdown); el.dataset.points = '1'; }
  else if (w.type === 'table') {
    el.dataset.points = String(w.rows.length);
    el.insertAdjacentHTML('beforeend', '<table><tr>' + w.columns.map((c) => '<th>' + esc(c) + '</th>').join('') + '</tr>' + w.rows.map((r) => '<tr>' + r.map((c) => '<td>' + (c && typeof c === 'object' ? '<span class="s s-' + esc(c.state) + '">' + esc(c.label || c.state.replace('INSUFFICIENT_DATA', 'NO DATA')) + '</span>' : esc(c)) + '</td>').join('') + '</tr>').join('') + '</table>');
  } else el.insertAdjacentHTML('beforeend', '<div class="empty">' + esc(w.reason || 'not rendered') + '</div>');
}
function render(sections) {
  for (const p of plots.splice(0)) p.destroy();
  const main = document.getElementById('main');
  main.innerHTML = '';
  for (const s of sections) {
    const h = document.createElement('h2'); h.textContent = s.heading; main.appendChild(h);
    if (s.note) { const n = document.createElement('p'); n.className = 'note'; n.textContent = s.note; main.appendChild(n); }
    const grid = document.createElement('div'); grid.className = 'grid'; main.appendChild(grid);
    const placed = s.widgets.map((w) => { const el = drawWidget(w); grid.appendChild(el); return [el, w]; });
    for (const [el, w] of placed) fill(el, w);
  }
  document.body.dataset.rendered = String(Date.now());
}
render(PAGE.sections);
if (PAGE.live) setInterval(() => fetch(PAGE.live.dataUrl).then((r) => r.json()).then((d) => render(d.sections)).catch(() => undefined), PAGE.live.intervalMs);
`;
