import 'reflect-metadata';

export * from './data-source';
export * from './query-counter';
export * from './database';
export * from './row-id';
