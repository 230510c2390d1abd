// The call list as a file for Excel: a CSV, or a real workbook (`plan --out list.xlsx`).
//
// The workbook has one sheet with every call and one per agent, each with a frozen, filtered
// header. Ids and phone numbers are text (Excel keeps their leading zeros and never shows
// 1.38E+10), the outcome column is a drop-down of the outcomes in the user's language, and the
// satisfaction column takes only a whole number from 1 to 5. `followup import calls` reads the
// filled-in workbook back (every sheet) with the same checks as the CSV.
import type { CallList, CallListItem } from '../domain/plan.js';
import { OUTCOMES } from '../domain/call.js';
import { visible } from '../core/visible.js';
import { displayWidth } from '../core/width.js';
import { t, type MessageId } from '../messages/index.js';
import { shownPhone } from './common.js';

/**
 * The columns of the call list, in order. The headers are these messages in the user's language;
 * `followup import calls` reads a filled-in list back by them, in either language. The last four
 * are left empty for the agent.
 */
export const CALL_LIST_COLUMNS = [
  'plan.csv.itemId',
  'plan.csv.date',
  'plan.csv.agent',
  'plan.csv.position',
  'plan.csv.customerId',
  'plan.csv.name',
  'plan.csv.phone',
  'plan.csv.scenarioId',
  'plan.csv.scenario',
  'plan.csv.urgent',
  'plan.csv.dueBy',
  'plan.csv.reason',
  'plan.csv.outcome',
  'plan.csv.satisfaction',
  'plan.csv.callbackAt',
  'plan.csv.notes',
] as const satisfies readonly MessageId[];

type Column = (typeof CALL_LIST_COLUMNS)[number];
const at = (column: Column) => CALL_LIST_COLUMNS.indexOf(column) + 1;

/** Columns whose digits are an identity, not a quantity: kept as text. */
const TEXT_COLUMNS: Column[] = ['plan.csv.customerId', 'plan.csv.phone', 'plan.csv.callbackAt', 'plan.csv.notes', 'plan.csv.outcome'];

export function callListRow(date: string, item: CallListItem, full: boolean): (string | number | null)[] {
  return [
    item.id ?? null,
    date,
    item.agent ?? '',
    item.position,
    item.customerId,
    item.name,
    shownPhone(item.phone, full),
    item.scenario,
    t(`scenario.${item.scenario}` as MessageId),
    item.urgent ? t('plan.csv.urgentYes') : '',
    item.dueBy,
    item.reason,
    '', // outcome
    '', // satisfaction
    '', // callback at
    '', // notes
  ];
}

/** Excel's rules for a sheet name: at most 31 characters, none of []:*?/\, unique in the book. */
function sheetName(wanted: string, used: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, '_').slice(0, 28) || 'sheet';
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base.slice(0, 27)}-${n}`;
  used.add(name.toLowerCase());
  return name;
}

/** Text for a cell: control characters (which XML cannot hold) shown as escapes, line breaks kept. */
const cellValue = (value: string | number | null) => (typeof value === 'string' ? visible(value, { lines: true, tabs: true }) : value);

export async function callListWorkbook(list: CallList, full: boolean): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'followup';
  const used = new Set<string>();
  const header = CALL_LIST_COLUMNS.map((id) => t(id));
  const outcomes = OUTCOMES.map((o) => t(`outcome.${o}` as MessageId));
  const agents = [...new Set(list.items.map((i) => i.agent).filter((a): a is string => Boolean(a)))];
  const sheets: [string, CallListItem[]][] = [[t('plan.sheet.all', { date: list.date }), list.items], ...agents.map((a): [string, CallListItem[]] => [a, list.items.filter((i) => i.agent === a)])];

  for (const [name, items] of sheets) {
    const sheet = book.addWorksheet(sheetName(name, used), {
      views: [{ state: 'frozen', ySplit: 1 }],
      pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
    });
    const rows = items.map((item) => callListRow(list.date, item, full));
    sheet.addRow(header);
    for (const row of rows) sheet.addRow(row.map(cellValue));
    const headerRow = sheet.getRow(1);
    headerRow.font = { bold: true };
    headerRow.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
    for (const column of TEXT_COLUMNS) sheet.getColumn(at(column)).numFmt = '@';
    // The columns the agent fills in: a drop-down of outcomes, a score from 1 to 5.
    for (let r = 2; r <= rows.length + 1; r++) {
      sheet.getCell(r, at('plan.csv.outcome')).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${outcomes.join(',')}"`],
        showErrorMessage: true,
        errorTitle: t('plan.sheet.outcomeTitle'),
        error: t('plan.sheet.outcomeError'),
      };
      sheet.getCell(r, at('plan.csv.satisfaction')).dataValidation = {
        type: 'whole',
        operator: 'between',
        allowBlank: true,
        formulae: [1, 5],
        showErrorMessage: true,
        errorTitle: t('plan.sheet.satisfactionTitle'),
        error: t('plan.sheet.satisfactionError'),
      };
    }
    // Widths that show each column's text, the reason and notes capped (they wrap when printed).
    CALL_LIST_COLUMNS.forEach((id, i) => {
      const longest = Math.max(displayWidth(header[i]), ...rows.map((row) => displayWidth(String(row[i] ?? ''))));
      const cap = id === 'plan.csv.reason' ? 60 : id === 'plan.csv.notes' ? 40 : 30;
      sheet.getColumn(i + 1).width = Math.min(cap, Math.max(id === 'plan.csv.callbackAt' ? 18 : 8, longest + 2));
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
