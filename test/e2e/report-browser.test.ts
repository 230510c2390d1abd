// The monthly report as people see it: the HTML opened in a real browser (Debian's Chromium, driven
// by playwright-core) on a screen and printed on A4, in English and in Chinese. Every table's
// columns are within the page, the Chinese labels are not broken one character a line, the action
// list comes first, the charts have their 85% line and axes; the PDF and PNG are written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
let browser: Browser;
let dir: string;

beforeAll(async () => {
  // The demo's week of November: lists, calls, issues (some overdue), resolutions.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-browser-'));
  const demo = run(['demo', '--dir', path.join(dir, 'demo')], { cwd: dir });
  if (demo.code !== 0) throw new Error(`followup demo failed: ${demo.stderr}`);
  for (const lang of ['en', 'zh-CN']) {
    const r = run(['--lang', lang, 'report', '--month', '2026-11', '--date', '2026-11-27', '--out', path.join(dir, `report-${lang}.html`)], { cwd: path.join(dir, 'demo') });
    if (r.code !== 0) throw new Error(`followup report failed: ${r.stderr}`);
  }
  // Debian's Chromium (installed by .ci/run): a missing browser fails here, it is never skipped.
  expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium fonts-wqy-microhei`).toBe(true);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A4 at 96 dpi, less the 12 mm margins of the report's @page rule. */
const A4_CONTENT_PX = Math.floor(((210 - 24) / 25.4) * 96);

describe.each(['en', 'zh-CN'])('the %s report in Chromium', (lang) => {
  it('fits every table on screen and on A4, puts the action list first, draws the 85% line and the axes; renders to PDF and PNG', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
    try {
      await page.goto(`file://${path.join(dir, `report-${lang}.html`)}`);
      // On a screen 1024 wide: no table wider than the page, nothing scrolled out of view.
      const screen = await page.evaluate(() => ({
        body: document.body.scrollWidth,
        view: document.documentElement.clientWidth,
        tables: [...document.querySelectorAll('table')].map((t) => ({ id: t.id, right: t.getBoundingClientRect().right })),
        first: document.querySelector('h2')?.textContent ?? '',
        marks: document.querySelectorAll('svg .mark').length,
        axes: document.querySelectorAll('#chart-trend .axis').length,
        arrows: [...document.querySelectorAll('#table-summary td.good, #table-summary td.bad')].map((td) => td.textContent ?? ''),
      }));
      expect(screen.body).toBeLessThanOrEqual(screen.view);
      for (const table of screen.tables) expect(table.right, table.id).toBeLessThanOrEqual(screen.view);
      expect(screen.first).toMatch(/^⚠ /);
      expect(screen.marks).toBe(2); // the satisfied share and the agents, each against 85%
      expect(screen.axes).toBe(3); // the trend: x, and a y-axis on each side
      expect(screen.arrows.length).toBeGreaterThan(0);
      for (const arrow of screen.arrows) expect(arrow).toMatch(/^[▲▼] /);

      // Printed: every table within A4's width, and no header broken one character a line.
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: A4_CONTENT_PX, height: 1100 });
      const printed = await page.evaluate(() => ({
        tables: [...document.querySelectorAll('table')].map((t) => ({ id: t.id, width: t.getBoundingClientRect().width })),
        headers: [...document.querySelectorAll('th')].map((th) => {
          const style = getComputedStyle(th);
          const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
          const text = th.textContent ?? '';
          return { text, lines: Math.round((th.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / lineHeight), chars: [...text].length };
        }),
      }));
      for (const table of printed.tables) expect(table.width, table.id).toBeLessThanOrEqual(A4_CONTENT_PX);
      for (const header of printed.headers) {
        // A label of several characters never stands one character a line.
        if (header.chars >= 4) expect(header.lines, header.text).toBeLessThan(header.chars / 2);
      }

      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      fs.writeFileSync(path.join(dir, `report-${lang}.pdf`), pdf);
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(pages).toBeLessThanOrEqual(12);
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize({ width: 1024, height: 800 });
      const png = await page.screenshot({ fullPage: true });
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(20_000);
      console.log(`${lang}: ${pages} A4 pages printed, ${screen.tables.length} tables`);
    } finally {
      await page.close();
    }
  }, 120_000);
});
