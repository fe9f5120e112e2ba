import 'reflect-metadata';

export * from './context';
export * from './errors';
export * from './display-text';
export * from './identity';
export * from './pagination';
export * from './schema';
export * from './server';
export * from './sdl';
export * from './loaders';
export * from './access-token';
export * from './process';
export * from './catalogue-client';
export * from './service-client';
export * from './periodic';
export * from './subscriptions';
export * from './warnings';
