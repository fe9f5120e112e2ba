import { badInput } from '@serendip/federation';

/** A product's writable columns after validation, as both the API and the bulk importer store them. */
export interface ProductFields {
  sku: string;
  title: string;
  description: string;
  categoryId: string;
  brand: string | null;
  price: number;
  currency: string;
  tags: string[];
  imageUrl: string | null;
}

/** What callers hand in before validation; optional fields take their documented defaults. */
export interface ProductFieldsInput {
  sku: string;
  title: string;
  description?: string | null;
  categoryId: string;
  brand?: string | null;
  price: number;
  currency?: string | null;
  tags?: readonly string[] | null;
  imageUrl?: string | null;
}

const MAX_PRICE = 9_999_999_999.99;
const MAX_TAGS = 30;

export function normaliseSku(value: string, field = 'sku'): string {
  const sku = value.trim();
  if (sku.length < 1 || sku.length > 64 || /[\s\p{Cc}]/u.test(sku)) {
    throw badInput('sku must be 1 to 64 characters without spaces', field);
  }
  return sku;
}

export function normaliseTitle(value: string, field = 'title'): string {
  const title = value.trim();
  if (title.length < 1 || title.length > 500) throw badInput('title must be 1 to 500 characters', field);
  return title;
}

export function normaliseDescription(value: string | null | undefined, field = 'description'): string {
  const description = (value ?? '').trim();
  if (description.length > 20_000) throw badInput('description must be at most 20000 characters', field);
  return description;
}

export function normaliseBrand(value: string | null | undefined, field = 'brand'): string | null {
  const brand = (value ?? '').trim();
  if (brand.length > 200) throw badInput('brand must be at most 200 characters', field);
  return brand || null;
}

export function normalisePrice(value: number, field = 'price'): number {
  // DECIMAL(12,2): anything finer than a cent would be rounded silently by the database.
  if (!Number.isFinite(value) || value < 0 || value > MAX_PRICE || Math.abs(Math.round(value * 100) - value * 100) > 1e-6) {
    throw badInput(`price must be between 0 and ${MAX_PRICE} with at most two decimals`, field);
  }
  return Math.round(value * 100) / 100;
}

export function normaliseCurrency(value: string | null | undefined, field = 'currency'): string {
  const currency = value ?? 'USD';
  if (!/^[A-Z]{3}$/.test(currency)) throw badInput('currency must be an ISO 4217 code such as USD', field);
  return currency;
}

export function normaliseTag(value: string, field = 'tag'): string {
  const tag = value.trim().toLowerCase();
  if (tag.length < 1 || tag.length > 50) throw badInput('each tag must be 1 to 50 characters', field);
  return tag;
}

export function normaliseTags(value: readonly string[] | null | undefined, field = 'tags'): string[] {
  const tags = [...new Set((value ?? []).map((tag) => normaliseTag(tag, field)))];
  if (tags.length > MAX_TAGS) throw badInput(`a product has at most ${MAX_TAGS} tags`, field);
  return tags;
}

export function normaliseImageUrl(value: string | null | undefined, field = 'imageUrl'): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  let url: URL | null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || text.length > 2048) {
    throw badInput('imageUrl must be an http or https URL of at most 2048 characters', field);
  }
  return text;
}

/** Validates every field; `prefix` names the row in errors from bulk input, e.g. `rows[3].`. */
export function normaliseProduct(input: ProductFieldsInput, prefix = ''): ProductFields {
  return {
    sku: normaliseSku(input.sku, `${prefix}sku`),
    title: normaliseTitle(input.title, `${prefix}title`),
    description: normaliseDescription(input.description, `${prefix}description`),
    categoryId: String(input.categoryId),
    brand: normaliseBrand(input.brand, `${prefix}brand`),
    price: normalisePrice(input.price, `${prefix}price`),
    currency: normaliseCurrency(input.currency, `${prefix}currency`),
    tags: normaliseTags(input.tags, `${prefix}tags`),
    imageUrl: normaliseImageUrl(input.imageUrl, `${prefix}imageUrl`),
  };
}
