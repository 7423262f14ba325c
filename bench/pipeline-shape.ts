/** The backlog's shape, shared by bench/pipeline.bench.ts and its pump process (bench/pipeline-pumps.ts). */
export const CLUSTER_ID = 7n;
export const PUMPS = 3;
export const ROWS_PER_TXN = 100;
/** Distinct transaction payloads cycled through the backlog: enough variety for the decoder, cheap to encode. */
export const DISTINCT_TXNS = 64;
