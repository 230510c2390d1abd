// followup customers [--segment S] [--date D] [--limit N] [--full-phone] [--json]: the customers
// (of one segment) on day D, with masked phones unless --full-phone.
import { Option } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { jsonText } from '../core/output.js';
import { UsageError } from '../core/errors.js';
import { renderTable } from '../core/table.js';
import { countSegments, listCustomers, SEGMENT_IDS, segmentRulesFrom, segmentsOf, type SegmentId } from '../domain/segments.js';
import { formatYuan } from '../domain/values.js';
import { t, type MessageId } from '../messages/index.js';
import { dateOption, jsonPhone, openExistingDatabase, parseDateFlag, shownPhone } from './common.js';

interface CustomersFlags {
  segment?: string;
  date?: string;
  limit?: string;
  fullPhone?: boolean;
  json?: boolean;
}

const DEFAULT_LIMIT = 50;

export function customersCommand(ctx: Context) {
  return newCommand('customers')
    .description(t('customers.description'))
    .addOption(new Option('--segment <segment>', t('customers.option.segment')))
    .addOption(dateOption())
    .addOption(new Option('--limit <n>', t('customers.option.limit')))
    .addOption(new Option('--full-phone', t('option.fullPhone')))
    .addOption(new Option('--json', t('option.json')))
    .addHelpText('after', '\n' + t('customers.examples'))
    .action((flags: CustomersFlags) => {
      const segment = flags.segment === undefined ? null : parseSegment(flags.segment);
      const date = parseDateFlag(flags.date);
      const limit = flags.limit === undefined ? DEFAULT_LIMIT : parseLimit(flags.limit);
      const full = flags.fullPhone ?? false;
      const config = ctx.config();
      const db = openExistingDatabase(ctx, { write: false });
      try {
        const rules = segmentRulesFrom(config);
        const customers = listCustomers(db, rules, date, segment, limit);
        if (flags.json) {
          ctx.out.data(
            jsonText({
              date,
              segment,
              customers: customers.map((c) => ({
                id: c.id,
                name: c.name,
                phone: jsonPhone(c.phone, full),
                tier: c.tier,
                segments: segmentsOf(c),
                spend12mYuan: c.spend12mFen / 100,
                lastOrderAt: c.lastOrderAt ? c.lastOrderAt.slice(0, 10) : null,
              })),
            }),
          );
          return;
        }
        const counts = countSegments(db, rules, date);
        const total = segment ? counts[segment] : counts.customers;
        const where = segment ? t(`segment.${segment}` as MessageId) : t('customers.all');
        const title = t('customers.title', { date, segment: where, shown: customers.length, total });
        if (customers.length === 0) {
          ctx.out.data(title);
          return;
        }
        const separator = t('customers.segmentSeparator');
        const rows = customers.map((c) => [
          c.id,
          c.name,
          shownPhone(c.phone, full) || '—',
          c.tier ?? '—',
          segmentsOf(c)
            .map((s) => t(`segment.${s}` as MessageId))
            .join(separator),
          `¥${formatYuan(c.spend12mFen)}`,
          c.lastOrderAt ? c.lastOrderAt.slice(0, 10) : '—',
        ]);
        const header = ['id', 'name', 'phone', 'tier', 'segments', 'spend', 'lastOrder'].map((k) => t(`customers.col.${k}` as MessageId));
        ctx.out.data([title, ...renderTable(header, rows, { align: ['left', 'left', 'left', 'left', 'left', 'right', 'left'], indent: 2, width: ctx.out.columns })].join('\n'));
        if (total > customers.length) ctx.out.info(t('customers.more', { total, shown: customers.length }));
      } finally {
        db.close();
      }
    });
}

/** A segment id (any case), else a usage error listing the valid ones. */
export function parseSegment(value: string): SegmentId {
  const wanted = value.trim().toLowerCase();
  const found = SEGMENT_IDS.find((id) => id === wanted);
  if (!found) throw new UsageError('customers.badSegment', { value, ids: SEGMENT_IDS.join(', ') });
  return found;
}

function parseLimit(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1) || !Number.isSafeInteger(n)) throw new UsageError('customers.badLimit', { value });
  return n;
}
