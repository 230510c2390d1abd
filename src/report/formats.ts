// The report's formats, all rendered from the same tables (tables.ts) except JSON, which is the
// report object itself with stable keys.
//
//   text  terminal tables          md    Markdown tables
//   csv   one file, a section per table, for Excel (UTF-8 BOM, formula-like cells neutralised)
//   html  one self-contained file (no network, not even an xmlns URL: inline SVG in HTML needs
//         none), inline SVG charts, readable when printed
//   xlsx  one sheet per table, rates formatted as percentages
import { BOM, CRLF, csvCell } from '../core/csv.js';
import { displayWidth, renderTable } from '../core/table.js';
import { visible } from '../core/visible.js';
import { level2Label } from '../domain/call.js';
import type { Report } from '../domain/report.js';
import { SATISFIED_MARK } from '../domain/report.js';
import { groupDigits, t, type MessageId } from '../messages/index.js';
import { formatCell, rawCell, reportTables, type Cell, type Kind, type Table } from './tables.js';

export const FORMATS = ['text', 'md', 'csv', 'json', 'html', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];

const m = (id: string, params?: Record<string, string | number>) => t(id as MessageId, params);

function heading(r: Report): string {
  return m('report.title', { month: r.month, previous: r.previous.month, asOf: r.asOf });
}

/** The one-paragraph verdict under the title: satisfaction against the mark, coverage, overdue issues. */
function verdict(r: Report): string {
  const parts: string[] = [];
  const share = r.satisfaction.satisfiedShare;
  if (share === null) parts.push(m('report.verdict.noSatisfaction'));
  else parts.push(m(share >= SATISFIED_MARK ? 'report.verdict.good' : 'report.verdict.below', { share: formatCell(share, 'rate'), mark: Math.round(SATISFIED_MARK * 100) }));
  if (r.issues.overdue > 0) parts.push(m('report.verdict.overdue', { count: r.issues.overdue }));
  return parts.join(' ');
}

const numeric = (kind: Kind) => kind !== 'text';

export function toText(r: Report, width?: number): string {
  const lines = [heading(r), verdict(r)];
  for (const table of reportTables(r)) {
    lines.push('', table.title);
    if (table.rows.length === 0) {
      lines.push(`  ${m('report.empty')}`);
      continue;
    }
    const rows = table.rows.map((row) => row.map((c, i) => formatCell(c, table.columns[i].kind)));
    const align = table.columns.map((c, i) => (i > 0 && (numeric(c.kind) || table.id === 'summary') ? 'right' : 'left') as 'left' | 'right');
    lines.push(...renderTable(table.columns.map((c) => c.label), rows, { indent: 2, align, width }));
  }
  return lines.join('\n');
}

/**
 * Text in Markdown: HTML is written as entities (a renderer would otherwise run `<img onerror>` from
 * an agent's name or a category), Markdown's own marks are escaped so a value cannot become a link,
 * emphasis or a new table cell, and control characters are shown, on one line.
 */
export function mdEscape(text: string): string {
  return visible(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|#!~]/g, (ch) => `\\${ch}`);
}

export function toMarkdown(r: Report): string {
  const lines = [`# ${mdEscape(heading(r))}`, '', mdEscape(verdict(r))];
  for (const table of reportTables(r)) {
    lines.push('', `## ${mdEscape(table.title)}`, '');
    if (table.rows.length === 0) {
      lines.push(m('report.empty'));
      continue;
    }
    lines.push(`| ${table.columns.map((c) => mdEscape(c.label)).join(' | ')} |`);
    lines.push(`| ${table.columns.map((c, i) => (i > 0 && (numeric(c.kind) || table.id === 'summary') ? '---:' : '---')).join(' | ')} |`);
    for (const row of table.rows) lines.push(`| ${row.map((c, i) => mdEscape(formatCell(c, table.columns[i].kind))).join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/**
 * CSV for Excel: each table is a section (its title, the header, the rows, a blank line). Numbers
 * are written as numbers — rates as fractions (0.853), like the JSON — and text is neutralised.
 */
export function toCsv(r: Report): string {
  const out: string[] = [];
  const line = (cells: (string | number | null)[]) => cells.map(csvCell).join(',') + CRLF;
  out.push(line([heading(r)]), line([m('report.csvNote')]), CRLF);
  for (const table of reportTables(r)) {
    out.push(line([table.title]), line(table.columns.map((c) => c.label)));
    // Rates stay fractions for Excel to compute with; durations are written as durations (m:ss).
    for (const row of table.rows) {
      out.push(
        line(
          row.map((c, i) => {
            const raw = rawCell(c, table.columns[i].kind);
            return (raw.kind === 'seconds' || raw.kind === 'deltaSeconds') && typeof raw.value === 'number' ? formatCell(c, table.columns[i].kind) : raw.value;
          }),
        ),
      );
    }
    out.push(CRLF);
  }
  return BOM + out.join('');
}

// --- HTML ---------------------------------------------------------------------------------------

const esc = (text: string) => text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);

/** Horizontal bars: one per label. */
function barChart(id: string, title: string, data: { label: string; value: number }[]): string {
  const max = Math.max(1, ...data.map((d) => d.value));
  const labelWidth = Math.max(60, ...data.map((d) => displayWidth(d.label) * 7 + 10));
  const barMax = 360;
  const rowH = 24;
  const height = data.length * rowH + 10;
  const width = labelWidth + barMax + 60;
  const bars = data
    .map((d, i) => {
      const y = 5 + i * rowH;
      const w = Math.round((d.value / max) * barMax);
      return `<text x="${labelWidth - 6}" y="${y + 16}" text-anchor="end">${esc(d.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${w}" height="16" class="bar"/>` +
        `<text x="${labelWidth + w + 6}" y="${y + 16}">${d.value}</text>`;
    })
    .join('');
  return `<figure class="chart" id="${id}"><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${bars}</svg></figure>`;
}

/** Columns for the completed calls of each month (axis on the left), a line for the mean satisfaction (1–5, axis on the right). */
function trendChart(r: Report): string {
  const title = m('report.chart.trend');
  const w = 600;
  const h = 230;
  const left = 50;
  const right = w - 50;
  const bottom = 190;
  const top = 20;
  const step = (right - left) / r.trend.length;
  const maxCalls = niceMax(Math.max(1, ...r.trend.map((x) => x.completed)));
  const parts: string[] = [
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" class="axis"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" class="axis"/>`,
    `<line x1="${right}" y1="${top}" x2="${right}" y2="${bottom}" class="axis"/>`,
    `<text x="${left}" y="${top - 8}" text-anchor="middle" class="small">${esc(m('report.axis.calls'))}</text>`,
    `<text x="${right}" y="${top - 8}" text-anchor="middle" class="small">${esc(m('report.axis.satisfaction'))}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = bottom - (i / 4) * (bottom - top);
    parts.push(`<line x1="${left - 4}" y1="${y}" x2="${right}" y2="${y}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end" class="small">${groupDigits(Math.round((maxCalls * i) / 4))}</text>`);
    parts.push(`<text x="${right + 6}" y="${y + 4}" class="small">${i + 1}</text>`);
  }
  const points: string[] = [];
  r.trend.forEach((x, i) => {
    const cx = left + step * i + step / 2;
    const bh = Math.round((x.completed / maxCalls) * (bottom - top));
    parts.push(`<rect x="${cx - step / 4}" y="${bottom - bh}" width="${step / 2}" height="${bh}" class="bar light"/>`);
    parts.push(`<text x="${cx}" y="${bottom + 16}" text-anchor="middle">${esc(x.month)}</text>`);
    parts.push(`<text x="${cx}" y="${bottom - bh - 4}" text-anchor="middle" class="small">${x.completed}</text>`);
    if (x.satisfactionMean !== null) {
      const y = bottom - ((x.satisfactionMean - 1) / 4) * (bottom - top);
      points.push(`${cx},${y.toFixed(1)}`);
      parts.push(`<circle cx="${cx}" cy="${y.toFixed(1)}" r="4" class="dot"/><text x="${cx + 6}" y="${(y - 6).toFixed(1)}" class="small">${x.satisfactionMean.toFixed(2)}</text>`);
    }
  });
  if (points.length > 1) parts.push(`<polyline points="${points.join(' ')}" class="line"/>`);
  return `<figure class="chart" id="chart-trend"><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${parts.join('')}</svg></figure>`;
}

/** A round top for an axis: 7 → 8, 23 → 40, 130 → 200. */
function niceMax(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const f of [1, 2, 4, 5, 10]) if (f * magnitude >= value) return f * magnitude;
  return 10 * magnitude;
}

/** The groups of tables that start a new page when printed: the summary, the breakdowns of calls and of issues, the definitions. */
const PAGE_STARTS = new Set(['summary', 'byAgent', 'issuesByAgent', 'definitions']);

/** At most this many columns in one table of the HTML report: wider ones are split, the first column repeated, so every column shows on screen and on A4. */
const MAX_HTML_COLUMNS = 6;

function htmlTable(table: Table): string {
  if (table.rows.length === 0) return `<p class="empty">${esc(m('report.empty'))}</p>`;
  const right = (i: number) => i > 0 && (numeric(table.columns[i].kind) || table.id === 'summary');
  const parts: number[][] = [];
  const rest = table.columns.map((_, i) => i).slice(1);
  for (let at = 0; at < Math.max(1, rest.length); at += MAX_HTML_COLUMNS - 1) parts.push([0, ...rest.slice(at, at + MAX_HTML_COLUMNS - 1)]);
  return parts
    .map((columns, part) => {
      const head = columns.map((i) => `<th${right(i) ? ' class="num"' : ''}>${esc(table.columns[i].label)}</th>`).join('');
      const body = table.rows
        .map((row, r) => {
          const cells = columns.map((i) => {
            const classes = [right(i) ? 'num' : '', changeClass(table, r, i, row[i])].filter(Boolean).join(' ');
            return `<td${classes ? ` class="${classes}"` : ''}>${esc(formatCell(row[i] ?? null, table.columns[i].kind))}</td>`;
          });
          return `<tr>${cells.join('')}</tr>`;
        })
        .join('\n');
      const caption = parts.length > 1 ? `<caption>${esc(m('report.tablePart', { part: part + 1, parts: parts.length }))}</caption>` : '';
      return `<table id="table-${table.id}${parts.length > 1 ? `-${part + 1}` : ''}">${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
    })
    .join('\n');
}

/** good or bad for a change that went the better or the worse way (the summary's last column). */
function changeClass(table: Table, row: number, column: number, cell: Cell | undefined): string {
  const better = table.better?.[row];
  if (!better || column !== table.columns.length - 1 || cell === null || cell === undefined || typeof cell !== 'object' || !cell.value) return '';
  return (cell.value > 0) === (better === 'up') ? 'good' : 'bad';
}

/** The satisfied share as one bar of the scores (5 and 4 green, 3 grey, 2 and 1 red), with the 85% mark. */
function satisfactionChart(r: Report): string {
  const title = m('report.chart.satisfiedShare');
  const d = r.satisfactionDistribution;
  const total = (['1', '2', '3', '4', '5'] as const).reduce((n, k) => n + d[k], 0);
  const w = 460;
  const barW = 400;
  const left = 20;
  const parts: string[] = [];
  let x = left;
  for (const score of ['5', '4', '3', '2', '1'] as const) {
    const width = total > 0 ? (d[score] / total) * barW : 0;
    if (width > 0) parts.push(`<rect x="${x.toFixed(1)}" y="24" width="${width.toFixed(1)}" height="28" class="s${score}"><title>${esc(m(`report.sat.${score}`))}: ${d[score]}</title></rect>`);
    if (width >= 18) parts.push(`<text x="${(x + width / 2).toFixed(1)}" y="43" text-anchor="middle" class="on">${score}</text>`);
    x += width;
  }
  if (total === 0) parts.push(`<rect x="${left}" y="24" width="${barW}" height="28" class="none"/>`);
  const mark = left + SATISFIED_MARK * barW;
  parts.push(`<line x1="${mark}" y1="14" x2="${mark}" y2="62" class="mark"/><text x="${mark}" y="10" text-anchor="middle" class="small">${Math.round(SATISFIED_MARK * 100)}%</text>`);
  const share = r.satisfaction.satisfiedShare;
  parts.push(`<text x="${left}" y="78" class="small">${esc(share === null ? m('report.noAnswers') : m('report.satisfiedLine', { share: formatCell(share, 'rate') }))}</text>`);
  return `<figure class="chart" id="chart-satisfied"><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} 90" width="${w}" height="90">${parts.join('')}</svg></figure>`;
}

/** The satisfied share of each agent, beside the 85% mark. */
function agentChart(r: Report): string {
  const title = m('report.chart.agents');
  const agents = Object.entries(r.byAgent).filter(([name]) => name !== '-');
  const labelWidth = Math.max(60, ...agents.map(([name]) => displayWidth(name) * 7 + 10));
  const barMax = 300;
  const rowH = 24;
  const top = 18;
  const height = top + Math.max(1, agents.length) * rowH + 10;
  const width = labelWidth + barMax + 80;
  const parts = agents.map(([name, f], i) => {
    const y = top + i * rowH;
    const share = f.satisfaction.satisfiedShare;
    const w = share === null ? 0 : Math.round(share * barMax);
    const below = share !== null && share < SATISFIED_MARK;
    return (
      `<text x="${labelWidth - 6}" y="${y + 16}" text-anchor="end">${esc(name)}</text>` +
      `<rect x="${labelWidth}" y="${y + 4}" width="${w}" height="16" class="bar${below ? ' below' : ''}"/>` +
      `<text x="${labelWidth + w + 6}" y="${y + 16}">${share === null ? '–' : `${below ? '▼ ' : ''}${formatCell(share, 'rate')}`} (${f.satisfaction.responses})</text>`
    );
  });
  const mark = labelWidth + SATISFIED_MARK * barMax;
  parts.push(`<line x1="${mark}" y1="${top - 4}" x2="${mark}" y2="${height - 4}" class="mark"/><text x="${mark}" y="${top - 6}" text-anchor="middle" class="small">${Math.round(SATISFIED_MARK * 100)}%</text>`);
  return `<figure class="chart" id="chart-agents"><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${parts.join('')}</svg></figure>`;
}

export function toHtml(r: Report, lang: string): string {
  const tables = reportTables(r);
  const charts = [
    satisfactionChart(r),
    barChart('chart-satisfaction', m('report.chart.satisfaction'), (['5', '4', '3', '2', '1'] as const).map((s) => ({ label: m(`report.sat.${s}`), value: r.satisfactionDistribution[s] }))),
    agentChart(r),
    barChart('chart-issues', m('report.chart.issues'), Object.entries(r.issues.byLevel1).map(([id, value]) => ({ label: m(`issue.l1.${id}`), value }))),
    trendChart(r),
  ];
  const top = r.issues.top.map((x) => `${m(`issue.l1.${x.level1}`)} / ${x.level2 ? level2Label(x.level2) : m('report.none')}`);
  // The action list first; then the charts; then the tables, each group of breakdowns from a new page when printed.
  const section = (table: Table) =>
    `<section class="${table.id.startsWith('actions') ? 'action' : PAGE_STARTS.has(table.id) ? 'major' : ''}"><h2>${esc(table.title)}</h2>\n${htmlTable(table)}</section>`;
  const actions = tables.filter((table) => table.id.startsWith('actions')).map(section);
  const sections = tables.filter((table) => !table.id.startsWith('actions')).map(section);
  return `<!DOCTYPE html>
<html lang="${esc(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(heading(r))}</title>
<style>
body { font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
.verdict { font-size: 1.05rem; }
section.action h2 { color: #a94400; border-color: #f0c8a8; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; max-width: 100%; }
caption { text-align: left; font-size: .8rem; color: #666; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; } th { background: #f2f2f2; text-align: left; }
/* Chinese labels break between words, never one character a line. */
th { word-break: keep-all; overflow-wrap: anywhere; min-width: 4em; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.good { color: #1e7b34; } td.bad { color: #b3261e; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; }
figure.chart { margin: 0; } figcaption { font-weight: 600; margin-bottom: .25rem; }
svg text { font-size: 12px; fill: #222; } svg .small { font-size: 10px; } svg text.on { fill: #fff; font-weight: 600; }
svg .bar { fill: #3b6ea8; } svg .bar.below { fill: #d9822b; } svg .bar.light { fill: #b7cbe3; } svg .axis { stroke: #999; } svg .grid { stroke: #eee; }
svg .line { fill: none; stroke: #c0392b; stroke-width: 2; } svg .dot { fill: #c0392b; }
svg .mark { stroke: #b3261e; stroke-width: 2; stroke-dasharray: 4 3; }
svg .s5 { fill: #1e7b34; } svg .s4 { fill: #5aa469; } svg .s3 { fill: #b0b0b0; } svg .s2 { fill: #e08a6a; } svg .s1 { fill: #b3261e; } svg .none { fill: #eee; }
@page { size: A4; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 9pt; }
  section, figure, table { break-inside: avoid; }
  section.major { break-before: page; }
  h2 { break-after: avoid; }
  .charts { gap: 1rem; }
  svg { max-width: 100%; height: auto; }
  th, td.good, td.bad, svg * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  th { background: #eee !important; }
}
</style>
</head>
<body>
<h1>${esc(heading(r))}</h1>
<p class="verdict">${esc(verdict(r))}</p>
${top.length > 0 ? `<p>${esc(m('report.topLine', { problems: top.slice(0, 3).join('; ') }))}</p>` : ''}
${actions.join('\n')}
<div class="charts">
${charts.join('\n')}
</div>
${sections.join('\n')}
</body>
</html>
`;
}

// --- xlsx -------------------------------------------------------------------------------------------

const NUMBER_FORMATS: Partial<Record<Kind, string>> = {
  rate: '0.0%',
  pp: '+0.0%;-0.0%;0.0%',
  mean: '0.00',
  score: '0.0',
  delta: '+0;-0;0',
  deltaMean: '+0.00;-0.00;0.00',
  deltaScore: '+0.0;-0.0;0.0',
  // Durations are Excel times (days): 95 s is 95/86400, shown as 1:35.
  seconds: '[m]:ss',
  deltaSeconds: '+[m]:ss;-[m]:ss;0:00',
};
const isDuration = (kind: Kind) => kind === 'seconds' || kind === 'deltaSeconds';

/** Excel's rules for sheet names: at most 31 characters, none of : \ / ? * [ ]. */
function sheetName(title: string, used: Set<string>): string {
  let name = title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31).trim() || 'Sheet';
  for (let i = 2; used.has(name); i++) name = `${name.slice(0, 28)} ${i}`;
  used.add(name);
  return name;
}

export async function toXlsx(r: Report): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'followup';
  const used = new Set<string>();
  for (const table of reportTables(r)) {
    // The title above, the header row frozen and filtered under it; printed landscape, one page wide.
    const sheet = book.addWorksheet(sheetName(table.id === 'summary' ? m('report.sheet.summary') : table.title, used), {
      views: [{ state: 'frozen', ySplit: 2 }],
      pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9, printTitlesRow: '2:2' },
    });
    sheet.addRow([table.title]).font = { bold: true, size: 12 };
    const header = sheet.addRow(table.columns.map((c) => c.label));
    header.font = { bold: true };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    header.alignment = { vertical: 'middle', wrapText: true };
    sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: table.columns.length } };
    for (const row of table.rows) {
      const added = sheet.addRow(
        row.map((c, i) => {
          const raw = rawCell(c, table.columns[i].kind);
          return isDuration(raw.kind) && typeof raw.value === 'number' ? raw.value / 86400 : raw.value;
        }),
      );
      row.forEach((c, i) => {
        const format = NUMBER_FORMATS[rawCell(c, table.columns[i].kind).kind];
        if (format) added.getCell(i + 1).numFmt = format;
      });
    }
    sheet.columns.forEach((column, i) => {
      column.width = Math.min(60, Math.max(10, ...[table.columns[i]?.label ?? '', ...table.rows.map((row) => formatCell(row[i] ?? null, table.columns[i]?.kind ?? 'text'))].map((s) => displayWidth(s) + 2)));
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
