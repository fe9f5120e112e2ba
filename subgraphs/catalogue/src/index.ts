export * from './app';
export * from './config';
export * from './schema';
export * from './data-source';
export { migrations } from './migrations';
export * from './import/catalogue-import.store';
export * from './embedding/product-embedding.store';
export * from './embedding/vector-bytes';
export * from './embedding/worker-product-vectors';
