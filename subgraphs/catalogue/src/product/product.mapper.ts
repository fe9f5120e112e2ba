import type { ProductEntity } from './product.entity';
import type { Product } from './product.type';

export function toProduct(entity: ProductEntity): Product {
  return {
    id: entity.id,
    sku: entity.sku,
    title: entity.title,
    description: entity.description,
    categoryId: entity.categoryId,
    brand: entity.brand,
    price: Number(entity.price),
    currency: entity.currency,
    tags: Array.isArray(entity.tags) ? entity.tags : [],
    imageUrl: entity.imageUrl,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
