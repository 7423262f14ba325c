export { E2eUpstream, rowsMutation } from './e2e-upstream.js';
export type { E2eUpstreamOptions } from './e2e-upstream.js';
export { startInProcessDrainer } from './in-process-drainer.js';
export type { InProcessDrainer } from './in-process-drainer.js';
export { spawnDrainer, REPO_ROOT } from './drainer-process.js';
export type { DrainerProcess, SpawnDrainerOptions } from './drainer-process.js';
export { waitUntil, jsonlLines } from './wait-until.js';
