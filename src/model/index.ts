export * from './decimal.js';
export * from './money.js';
export * from './entities.js';
export * from './order-status.js';
