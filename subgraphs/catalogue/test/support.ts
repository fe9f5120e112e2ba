import type { Identity } from '@serendip/federation';
import { subgraphClient, testEnv } from '@serendip/testing';
import { startCatalogueSubgraph } from '../src/app';
import { loadCatalogueConfig } from '../src/config';

export const ADMIN: Identity = { userId: '00000000-0000-4000-8000-000000000001', roles: ['shopper', 'admin'] };
export const SHOPPER: Identity = { userId: '00000000-0000-4000-8000-000000000002', roles: ['shopper'] };

export type RunningCatalogue = Awaited<ReturnType<typeof startCatalogueSubgraph>>;

export function catalogueTestConfig() {
  return loadCatalogueConfig(testEnv({ CATALOGUE_PORT: '0' }));
}

export const CREATE_CATEGORY = `mutation ($input: CreateCategoryInput!) {
  createCategory(input: $input) { id name slug parent { id } }
}`;

export const CREATE_PRODUCT = `mutation ($input: CreateProductInput!) {
  createProduct(input: $input) { id sku title description brand price currency tags imageUrl createdAt updatedAt category { id } }
}`;

export interface CreatedCategory {
  id: string;
  name: string;
  slug: string;
  parent: { id: string } | null;
}

export interface CreatedProduct {
  id: string;
  sku: string;
  title: string;
  description: string;
  brand: string | null;
  price: number;
  currency: string;
  tags: string[];
  imageUrl: string | null;
  createdAt: string;
  updatedAt: string;
  category: { id: string };
}

/** Admin helpers that fail the test loudly when a setup write is refused. */
export function adminWriter(call: ReturnType<typeof subgraphClient>) {
  return {
    async category(name: string, parentId?: string): Promise<CreatedCategory> {
      const response = await call<{ createCategory: CreatedCategory }>(CREATE_CATEGORY, { input: { name, parentId } }, ADMIN);
      if (!response.data?.createCategory) throw new Error(`createCategory failed: ${JSON.stringify(response.errors)}`);
      return response.data.createCategory;
    },
    async product(input: Record<string, unknown>): Promise<CreatedProduct> {
      const response = await call<{ createProduct: CreatedProduct }>(CREATE_PRODUCT, { input }, ADMIN);
      if (!response.data?.createProduct) throw new Error(`createProduct failed: ${JSON.stringify(response.errors)}`);
      return response.data.createProduct;
    },
  };
}
