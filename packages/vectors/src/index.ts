export { InnerProductIndex, type InnerProductHit } from './inner-product-index';
export { ProductIndex, type ProductHit, type ProductIndexItem, type ProductIndexOptions } from './product-index';
export { ProductIndexSync, type ProductIndexSyncOptions, type ProductVectorFeed, type ProductVectorPage } from './product-index.sync';
