/**
 * The Sink conformance suite. Imports vitest: reach it only as `@tidb-drainer/testkit/conformance` from tests.
 */
export { runSinkConformanceSuite } from './run-sink-conformance-suite.js';
export type { ConformanceTarget, Fault, SinkConformanceOptions } from './run-sink-conformance-suite.js';
export { conformanceFixture } from './conformance-fixture.js';
export type { ConformanceFixture } from './conformance-fixture.js';
export { fixtureTable, createTableSql, ORDERS_COLUMNS, EVENTS_COLUMNS } from './fixture-tables.js';
export type { ColumnSpec } from './fixture-tables.js';
export { driveSink } from './drive-sink.js';
export type { DriveOptions } from './drive-sink.js';
export { canonicalRow, canonicalChanges, expectedState, keyColumnsOf, readBackState, StateFolder } from './sink-state.js';
export type { CanonicalChange, CanonicalRow, ReadBack, SinkState } from './sink-state.js';
