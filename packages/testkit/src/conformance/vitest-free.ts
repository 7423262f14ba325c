/** The conformance helpers that do not import vitest, for the package's main entry (tools, examples, benches). */
export { conformanceFixture } from './conformance-fixture.js';
export type { ConformanceFixture } from './conformance-fixture.js';
export { fixtureTable, createTableSql } from './fixture-tables.js';
export { driveSink } from './drive-sink.js';
export { canonicalRow, canonicalChanges, expectedState, keyColumnsOf, readBackState, StateFolder } from './sink-state.js';
export type { CanonicalChange, CanonicalRow, ReadBack, SinkState } from './sink-state.js';
