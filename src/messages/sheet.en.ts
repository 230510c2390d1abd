// Messages for reading a filled-in call list back (followup import calls), English. Merged into en.ts.
export const sheetEn = {
  'sheet.summary':
    '{file}: {rows, plural, one {# row} other {# rows}}, {inserted} inserted, {updated} updated, {unchanged} unchanged, {skipped} skipped (no outcome yet), {rejected} rejected',
  'sheet.missingColumns':
    '{file} is not a filled-in call list: it has no column for {fields}. Columns found: {found}. Write the list with followup plan --out FILE, fill in its outcome column (and satisfaction, callback at, notes), then import that file.',
  'sheet.column': '"{name}"',
  'sheet.itemColumns': '"{itemId}" (or "{date}" and "{customerId}")',
  'sheet.badItemId': 'not an item id: "{value}" (keep this column as followup plan --out wrote it)',
  'sheet.unknownItem': 'there is no call-list item {value} in this database: was the list written from another database?',
  'sheet.itemMismatch':
    'item {item} is customer {customer} on the list for {date}, but this row says {rowCustomer} on {rowDate}: the row was changed after the list was written',
  'sheet.needsItem': 'the row has no item id, nor a date and customer id to find the customer on the list by',
  'sheet.duplicateRow': 'this customer of the list is already on line {line} of this file: keep one row per customer',
  'sheet.badOutcome': 'unknown outcome "{value}": write one of {labels}, or its id ({ids})',
  'sheet.satisfactionRequired': 'a completed call needs the satisfaction score: a whole number from 1 (very dissatisfied) to 5 (very satisfied)',
  'sheet.badSatisfaction': 'not a satisfaction score: "{value}" (a whole number from 1, very dissatisfied, to 5, very satisfied)',
  'sheet.satisfactionNotCompleted':
    'a satisfaction score is recorded only for a completed call, and the outcome is "{outcome}": clear the score or change the outcome',
  'sheet.callbackRequired': 'outcome "{outcome}" needs the time the customer chose, in the "{column}" column (e.g. 2026-11-25 15:00)',
  'sheet.callbackNotCallback': 'a callback time goes only with outcome "{callback}", and the outcome is "{outcome}": clear the time or change the outcome',
  'sheet.noAgent': 'customer {id} has no agent on the list for {date}: run followup plan --date {date} again to hand the list out, then import this file',
  'sheet.claimed':
    '{agent} has customer {id} open on the call screen: finish that call, or free it with followup call --agent {agent} --release, then import this file again',
  'sheet.recordedElsewhere':
    'customer {id} was already called {where} on {at}, with outcome "{recorded}"; this row says "{outcome}". Change the row to "{recorded}", or clear its outcome',
  'sheet.where.screen': 'on the call screen',
  'sheet.where.file': 'from an answers file (followup call --answers)',
  'sheet.flagged':
    'an earlier import of this list recorded "{recorded}" for customer {id}, which marks the customer for good; a sheet cannot take that back. Put "{recorded}" back in the outcome cell',
} as const;
