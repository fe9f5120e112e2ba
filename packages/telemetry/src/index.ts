export * from './logger';
export * from './propagation';
export * from './request-scope';
export * from './tracing';
