export * from './commit-ts.js';
export * from './mysql-type.js';
export * from './values.js';
export * from './table-info.js';
export * from './events.js';
