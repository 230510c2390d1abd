// The English message catalog. Every word the tool shows comes from here or from zh-CN.ts,
// which must have exactly the same ids (the compiler checks it). `{name}` is filled in by t().
// Areas with many messages keep them in their own file (config.en.ts …), spread in here.
import { reportEn } from './report.en.js';
import { issuesEn } from './issues.en.js';
import { callEn } from './call.en.js';
import { configEn } from './config.en.js';
import { planEn } from './plan.en.js';
import { commandsEn } from './commands.en.js';
import { scriptsEn } from './scripts.en.js';
import { sheetEn } from './sheet.en.js';
import { safetyEn } from './safety.en.js';
import { demoEn } from './demo.en.js';

export const en = {
  ...configEn,
  ...planEn,
  ...commandsEn,
  ...scriptsEn,
  ...callEn,
  ...issuesEn,
  ...reportEn,
  ...sheetEn,
  ...demoEn,
  ...safetyEn,
  // --- program and global options
  'program.description': 'Customer follow-up campaigns (客户回访): import CRM exports, plan the daily call list, run calls, report.',
  'program.examples':
    'Examples:\n  $ followup demo                                   # see it all on the bundled fixtures\n  $ followup import customers 客户.csv               # each morning: the latest exports …\n  $ followup plan --out 今日回访.csv                 # … and the day\'s call list\n  $ followup call --agent 小王                        # an agent works through their list\n  $ followup issues --status overdue\n  $ followup report --month 2026-11 --out 2026-11.html',
  'option.db': 'SQLite database file (default ./followup.db, or $FOLLOWUP_DB)',
  'option.lang': 'language for messages: zh-CN or en (default: config, then $LC_ALL/$LANG)',
  'option.config': 'config file (default ./followup.config.yaml when present)',
  'option.debug': 'show stack traces and internal details when something fails',
  'option.json': 'print the result as one JSON object on stdout',
  'option.help': 'show help for this command',
  'option.version': 'show the version',
  'help.command': 'show help for a command',

  // --- import
  'import.description':
    'Import a CRM export (CSV) into the database, or a call list filled in by the agents. KIND is customers, orders, complaints or calls; FILE is a path or - for stdin.',
  'import.examples':
    'Examples:\n  $ followup import customers fixtures/customers.csv\n  $ followup import orders fixtures/orders.gbk.csv --rejects orders-bad.csv\n  $ followup import complaints - --encoding gbk < tickets.csv\n  $ followup import customers export.csv --map "会员号=id" --map "VIP等级=tier" --dry-run\n  $ followup import calls 今日回访.csv\n\nImport customers first: orders and complaints for an unknown customer are rejected.\nimport calls reads back the list written by followup plan --out FILE once the agents have filled in its outcome, satisfaction, callback at and notes columns (Excel may save it again as GBK, UTF-8 or Unicode text). Rows without an outcome are skipped; importing the same file again changes nothing.',
  'import.arg.kind': 'what the file holds: customers, orders, complaints, or calls (a filled-in call list)',
  'import.arg.file': 'the CSV file, or - to read standard input',
  'import.option.encoding': 'force the encoding: utf8, utf16le, gbk, gb18030 (default: detected)',
  'import.option.delimiter': 'force the delimiter: comma, tab, semicolon or the character (default: detected)',
  'import.option.map': 'map a column header to a field, e.g. "会员号=id"; repeat for more',
  'import.option.rejects': 'where to write rejected rows (default: <file>.rejects.csv in the current folder)',
  'import.option.dryRun': 'validate and report without changing the database',
  'import.option.sheet': 'the sheet of an .xlsx workbook to read (default: the first)',
  'import.summary':
    '{file}: {rows} rows, {inserted} inserted, {updated} updated, {unchanged} unchanged, {rejected} rejected, {skipped} skipped, {warnings} with warnings, {duplicates} duplicate ids, {seconds} s, {rate} rows/s',
  'import.summaryDryRun': 'Dry run: nothing was written to the database.',
  'import.rejectsWritten': '{count} rejected rows written to {path} (line, field, value, reason, original row). Fix them and import that file again.',
  'import.duplicatesNote': '{count} ids appeared more than once in the file; the last row for each id was kept.',
  'import.skippedNote': '{count} rows skipped as totals, footers or blank lines (first: line {line}, "{example}"); they are not records.',
  'import.unmappedNote': 'Columns not understood (kept with each record, but not used): {columns}. If one matters, map it: --map "HEADER=field".',
  'import.warningsNote': '{count} rows kept with a warning (an empty or unusable optional value, e.g. a phone: not callable by phone); listed in {path}.',
  'import.unknownStatusesNote': 'Status values not understood ({kind}): {values}. Orders with them count as purchases, tickets stay as their dates say; tell us if one means refunded or closed.',
  'import.nonPurchaseNote': '{count} orders are refunded, cancelled, closed or unpaid: stored, but no purchase (no after-sale call, no spend, no VIP).',
  'import.resolvedFromNote': '{count} tickets closed in the CRM without a resolution time are taken as resolved: {updatedAt} on their last update, {openedAt} on the day they were opened.',
  'progress.rows': 'rows',
  'progress.perSecond': 'rows/s',
  'progress.left': '{time} left',
  'progress.saving': 'saving {rows} rows: rebuilding indexes and committing…',
  'import.detected': 'Reading {file} as {encoding}, delimiter {delimiter}',

  // --- import: user errors
  'error.kind': 'Unknown import kind "{kind}". Use one of: customers, orders, complaints, calls.',
  'error.fileNotFound': 'File not found: {path}. Check the path, or use - to read from standard input.',
  'error.fileIsDirectory': '{path} is a folder, not a file. Give the path of the CSV export.',
  'error.fileUnreadable': 'Cannot read {path}: {reason}.',
  'error.emptyFile': '{file} is empty: it has no header row. Export the file again with its column headers.',
  'kind.customers': 'customers',
  'kind.orders': 'orders',
  'kind.complaints': 'complaints',
  'error.noCustomers': 'No customers are stored yet: import customers first (followup import customers FILE), then the {kind} file.',
  'error.dncUnreadable': 'The do-not-call column "{column}" of {file} has a value that is not yes/no: "{value}" (line {line}). Do-not-call must be certain, so nothing was imported: correct the column (是/否, Y/N, 1/0, 勿扰/正常, √/×) or map another column with --map.',
  'error.sheetNotFound': '{file} has no sheet "{sheet}". Its sheets: {sheets}.',
  'error.badWorkbook': '{file} is not a workbook Excel can open ({reason}): open it in Excel and save it again as .xlsx, or save it as CSV.',
  'error.oldXls': '{file} is an old Excel .xls workbook: save it as .xlsx (or CSV UTF-8) in Excel and import that file.',
  'error.workbookUnreadable': '{file} could not be read as an .xlsx workbook ({reason}). Save it again in Excel as .xlsx or CSV.',
  'error.missingColumns':
    '{file} has no column for {fields}. Columns found: {found}. Accepted names: {accepted}. Rename the column or use --map "YOUR HEADER={field}".',
  'error.duplicateColumn': '{file}: columns "{first}" and "{second}" both mean {field}. Remove one, or use --map to say which is which.',
  'error.badMap': 'Cannot read --map "{value}". Write it as "HEADER=FIELD", with FIELD one of: {fields}.',
  'error.badMapField': '--map "{value}": {field} is not a {kind} field. Fields: {fields}.',
  'error.badEncoding': 'Unknown encoding "{value}". Use one of: utf8, utf16le, gbk, gb18030.',
  'error.badDelimiter': 'Cannot use "{value}" as the delimiter. Use comma, tab, semicolon, or a single character.',
  'error.unterminatedQuote': '{file}: a quoted field that starts on line {line} is never closed. Check that line for a stray " character.',
  'error.csv': '{file}, line {line}: {reason}',
  'error.recordTooLarge': '{file} has a record larger than {mb} MB, which is almost always a quote (") that is never closed. Check the file for a stray quote, or split it.',
  'error.stdinTty': 'Reading the export from standard input, but nothing is piped in. Pipe a file in (… < export.csv) or give its path.',
  'error.rejectsUnwritable': 'Cannot write the rejects file {path}: {reason}. Choose another place with --rejects.',

  // --- database
  'error.dbNewer':
    'The database {path} was written by a newer version of followup (schema {found}, this version knows up to {known}). Update followup.',
  'error.dbNotDatabase': '{path} is not a followup database (or is damaged). Give another path with --db.',
  'error.dbOpen': 'Cannot open the database {path}: {reason}.',
  'error.dbBusy': 'The database {path} is busy (another followup is writing to it). Try again in a moment.',

  // --- generic
  'error.bug': 'This is a bug in followup; please report it with the command you ran. Run again with --debug for details.',
  'error.usage': '{message}',
  'error.lang': 'Unknown language "{value}". Use zh-CN or en.',
  'error.config': '{path}: {reason}',

  // --- usage errors (exit code 2)
  'usage.unknownOption': "Unknown option {option}. See 'followup {command} --help'.",
  'usage.unknownCommand': "Unknown command {name}. See 'followup --help' for the commands.",
  'usage.unknownOptionSuggest': "Unknown option {option}: did you mean {suggestion}? See 'followup {command} --help'.",
  'usage.unknownCommandSuggest': "Unknown command {name}: did you mean followup {suggestion}? See 'followup --help' for the commands.",
  'usage.missingArgument': "Missing argument {argument}. See 'followup {command} --help'.",
  'usage.optionMissingArgument': 'Option {option} needs a value.',
  'usage.excessArguments': "Too many arguments. See 'followup {command} --help'.",
  'help.usage': 'Usage:',
  'help.arguments': 'Arguments:',
  'help.options': 'Options:',
  'help.globalOptions': 'Global Options:',
  'help.commands': 'Commands:',

  // --- row problems (rejects report)
  'row.columnCount': 'expected {expected} columns, found {found}',
  'row.badQuotes': 'the quotes in this row do not pair up (a " inside a quoted cell must be written "")',
  'row.required': '{field} is required',
  'row.unknownCustomer': 'customer {value} is not in the database; import the customers file first, then this file again',
  'row.unknownCustomerZeros': 'customer {value} is not in the database; did you mean {suggestion}? Excel drops leading zeros: format the id column as Text (or export again) and import this file again',
  'row.scientific': '"{value}" is in scientific notation: Excel cut the digits of this number. Format the column as Text in Excel (or export again), then import the file again',
  'row.excelRounded': 'id {value} looks rounded by Excel to 15 digits and {count} rows share it, so they cannot be told apart: export again with the column formatted as Text',
  'row.phoneMissing': 'no phone number: the customer is kept but cannot be called until an export brings one',
  'row.missingKept': '{field} is empty: the row is kept without it',
  'row.negativeAmount': 'amount must not be negative',
  'row.resolvedBeforeOpened': 'resolved before it was opened ({opened})',
  'value.dateEmpty': 'date is empty',
  'value.dateFormat': 'not a date: "{value}" (write it like 2026-11-03 or 2026/11/3 14:05)',
  'value.dateInvalid': 'no such date: "{value}"',
  'value.amountEmpty': 'amount is empty',
  'value.amountFormat': 'not an amount: "{value}" (write it like 1234.50 or ¥1,234.50)',
  'value.amountPrecision': 'amount "{value}" has more than 2 decimal places',
  'value.phoneEmpty': 'phone is empty',
  'value.phoneFormat': 'not a phone number: "{value}" (a mobile has 11 digits, e.g. 138 0013 8000; a landline needs its area code, e.g. 010-12345678)',
  'value.flagFormat': 'not a yes/no value: "{value}" (use 是/否, Y/N, true/false or 1/0)',
  'value.emailFormat': 'not an e-mail address: "{value}"',

  // --- fields (for messages and the rejects report)
  'field.id': 'id',
  'field.customerId': 'customer id',
  'field.name': 'name',
  'field.phone': 'phone',
  'field.email': 'e-mail',
  'field.city': 'city',
  'field.signupDate': 'signup date',
  'field.tier': 'tier',
  'field.doNotCall': 'do-not-call',
  'field.preferredTime': 'preferred contact time',
  'field.orderedAt': 'order time',
  'field.amount': 'amount',
  'field.product': 'product',
  'field.channel': 'channel',
  'field.openedAt': 'opened at',
  'field.resolvedAt': 'resolved at',
  'field.updatedAt': 'updated at',
  'field.status': 'status',
  'field.category': 'category',
  'field.description': 'description',
  'rejects.line': 'line',
  'rejects.field': 'field',
  'rejects.value': 'value',
  'rejects.reason': 'reason',
  'rejects.kept': 'kept without this value: {reason}',

  'word.none': 'none',
  'word.never': 'never',
  'word.comma': 'comma',
  'word.tab': 'tab',
  'word.semicolon': 'semicolon',
} as const;

export type MessageId = keyof typeof en;
