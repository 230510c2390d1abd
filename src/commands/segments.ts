// followup segments [--date D] [--json]: how many customers are in each segment on day D.
import { Option } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { jsonText } from '../core/output.js';
import { renderTable } from '../core/table.js';
import { countSegments, SEGMENT_IDS, segmentRulesFrom } from '../domain/segments.js';
import { groupDigits, t, type MessageId } from '../messages/index.js';
import { dateOption, openExistingDatabase, parseDateFlag } from './common.js';

interface SegmentsFlags {
  date?: string;
  json?: boolean;
}

export function segmentsCommand(ctx: Context) {
  return newCommand('segments')
    .description(t('segments.description'))
    .addOption(dateOption())
    .addOption(new Option('--json', t('option.json')))
    .addHelpText('after', '\n' + t('segments.examples'))
    .action((flags: SegmentsFlags) => {
      const date = parseDateFlag(flags.date);
      const config = ctx.config();
      const db = openExistingDatabase(ctx, { write: false });
      try {
        const counts = countSegments(db, segmentRulesFrom(config), date);
        const segments = Object.fromEntries(SEGMENT_IDS.map((id) => [id, counts[id]]));
        if (flags.json) {
          ctx.out.data(jsonText({ date, customers: counts.customers, segments }));
          return;
        }
        const rows = SEGMENT_IDS.map((id) => [t(`segment.${id}` as MessageId), groupDigits(counts[id])]);
        const lines = renderTable([t('segments.col.segment'), t('segments.col.customers')], [...rows, [t('segments.total'), groupDigits(counts.customers)]], {
          align: ['left', 'right'],
          indent: 2,
        });
        ctx.out.data([t('segments.title', { date }), ...lines, t('segments.note')].join('\n'));
      } finally {
        db.close();
      }
    });
}
