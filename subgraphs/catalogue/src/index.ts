export * from './app';
export * from './config';
export * from './schema';
export * from './data-source';
export { migrations } from './migrations';
export * from './store/catalogue.store';
