import { formatNumber } from './lib.js';
import type { BenchRow } from './lib.js';

/** What bench/run.ts writes to bench/results/<name>.json (and renders as <name>.md). */
export interface BenchReport {
  readonly name: string;
  readonly description: string;
  readonly startedAt: string;
  readonly seconds: number;
  readonly commit: string;
  readonly machine: string;
  /** Peak resident set size of the benchmark's process (its own child of the runner). */
  readonly peakRss: string;
  readonly rows: readonly BenchRow[];
  readonly notes: readonly string[];
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function renderMarkdown(r: BenchReport): string {
  const lines = [
    `# bench: ${r.name}`,
    '',
    r.description,
    '',
    '| measurement | value | unit | baseline | baseline value | ratio |',
    '|---|---:|---|---|---:|---:|',
    ...r.rows.map(
      (x) =>
        `| ${cell(x.label)} | ${formatNumber(x.value)} | ${cell(x.unit)} | ${cell(x.baselineLabel ?? '')} | ${formatNumber(x.baselineValue)} | ${x.ratio === undefined ? '' : `${x.ratio.toFixed(2)}×`} |`,
    ),
    '',
    `- run ${r.startedAt}, ${r.seconds.toFixed(1)} s, commit ${r.commit}`,
    `- machine: ${r.machine}`,
    `- peak RSS: ${r.peakRss}`,
    ...r.notes.map((n) => `- ${n}`),
    '',
  ];
  return lines.join('\n');
}
