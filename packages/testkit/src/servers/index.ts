export * from './test-servers.js';
export * from './unique-name.js';
export * from './assert-server-reachable.js';
