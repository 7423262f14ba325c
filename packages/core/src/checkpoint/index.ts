export * from './checkpoint-store.js';
export * from './checkpoint-json.js';
export * from './file-checkpoint-store.js';
export * from './mysql-checkpoint-store.js';
export * from './sql-client.js';
export * from './initial-commit-ts.js';
export * from './memory-checkpoint-store.js';
