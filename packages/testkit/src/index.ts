export { conformanceFixture, fixtureTable, createTableSql, driveSink, canonicalRow, canonicalChanges, expectedState, keyColumnsOf, readBackState, StateFolder } from './conformance/vitest-free.js';
export * from './encoder/index.js';
export * from './pump-sim/index.js';
export * from './tidb-api/index.js';
export * from './servers/index.js';
export * from './demo/index.js';
export * from './e2e/index.js';
