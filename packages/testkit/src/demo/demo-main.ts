import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createProgressReporter } from './demo-progress.js';
import { demoMatchesWorkload, demoSummaryJson, formatDemoSummary } from './format-demo-summary.js';
import { runDemo } from './run-demo.js';
import type { DemoSinkChoice } from './run-demo.js';

const USAGE = `Usage: npm run demo -- [options]

The quickstart: a simulated TiDB cluster (2 pumps, fake TiDB status API) writes a small workload with DDL; the
drainer replicates it into local files and prints a summary. No external server is needed.

  --sink <auto|file|jsonl>   output sink (default auto: the file sink when it works, else jsonl)
  --dir <path>               where output and drainer state go (default: a new temp dir)
  --txns <n>                 DML transactions to write (default 60)
  --seed <n>                 workload seed (same seed, same workload)
  --pace-ms <n>              pause between upstream transactions (default 25)
  --summary-json <file>      also write the summary as JSON to this file
  -h, --help                 this help
`;

function intOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

/** `npm run demo` (scripts/demo.sh): runs the demo with live progress on stderr, the summary on stdout. */
export async function demoMain(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        sink: { type: 'string', default: 'auto' },
        dir: { type: 'string' },
        txns: { type: 'string' },
        seed: { type: 'string' },
        'pace-ms': { type: 'string' },
        'summary-json': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const sink = values.sink;
  if (sink !== 'auto' && sink !== 'file' && sink !== 'jsonl') {
    process.stderr.write(`--sink must be auto, file or jsonl, got "${sink}"\n`);
    return 2;
  }
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = createProgressReporter(process.stderr);
  try {
    const txns = intOption('txns', values.txns);
    const seed = intOption('seed', values.seed);
    const paceMs = intOption('pace-ms', values['pace-ms']);
    process.stderr.write('Starting a simulated TiDB cluster (2 pumps, fake TiDB status API) and the drainer…\n');
    const summary = await runDemo({
      sink: sink satisfies DemoSinkChoice,
      ...(values.dir === undefined ? {} : { dir: values.dir }),
      ...(txns === undefined ? {} : { txns }),
      ...(seed === undefined ? {} : { seed }),
      ...(paceMs === undefined ? {} : { paceMs }),
      onProgress: (p) => progress.update(p),
      signal: stop.signal,
    });
    progress.finish();
    process.stdout.write(`${formatDemoSummary(summary)}\n`);
    if (values['summary-json'] !== undefined) await writeFile(values['summary-json'], `${demoSummaryJson(summary)}\n`);
    return demoMatchesWorkload(summary) || stop.signal.aborted ? 0 : 1;
  } catch (err) {
    progress.finish();
    process.stderr.write(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
