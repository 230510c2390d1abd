// Runs one followup command in this process and reports its wall time and peak RSS on fd 3
// (or stderr), for the benchmark: `node dist/tools/measure.js import customers big.csv --db x.db`.
// Peak RSS is the process's own figure, worker threads included.
import fs from 'node:fs';
import { main } from '../cli.js';

const started = performance.now();
const code = await main(process.argv.slice(2));
const result = {
  code,
  seconds: (performance.now() - started) / 1000,
  // resourceUsage().maxRSS is in kilobytes.
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
const line = JSON.stringify(result) + '\n';
try {
  fs.writeSync(3, line);
} catch {
  process.stderr.write(line);
}
process.exitCode = code;
