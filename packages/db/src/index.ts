import 'reflect-metadata';

export * from './batches';
export * from './data-source';
export * from './query-counter';
export * from './database';
export * from './lease-lock';
export * from './pool';
export * from './row-id';
