import { AppError, badInput, decodeCursor, ErrorCode, notFound } from '@serendip/federation';
import { searchWords } from '@serendip/text';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { CategoryEntity } from '../category/category.entity';
import type { EmbeddingRequestStore } from '../embedding/embedding-request.store';
import { isRowId } from '@serendip/db';
import type { CreateProductInput } from './dto/create-product.input';
import type { ProductFilter } from './dto/product-filter.input';
import type { UpdateProductInput } from './dto/update-product.input';
import { ProductEntity } from './product.entity';
import { FULLTEXT_MIN_CHARACTERS, productSearchTokens, querySearchTokens } from './search-tokens';
import {
  normaliseBrand,
  normaliseCurrency,
  normaliseDescription,
  normaliseImageUrl,
  normalisePrice,
  normaliseProduct,
  normaliseSku,
  normaliseTag,
  normaliseTags,
  normaliseTitle,
  type ProductFields,
} from './product.fields';

export interface ProductPage {
  rows: ProductEntity[];
  hasNextPage: boolean;
  totalCount: number;
}

export interface SearchHit {
  product: ProductEntity;
  score: number;
}

const HAN = /\p{Script=Han}/u;
/** Han, kana and hangul: scripts that FULLTEXT's whitespace parser cannot split into words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUNS = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+)/u;
const MAX_SEARCH_TERMS = 16;

/** A search text as both search modes accept it: trimmed, 1 to 200 characters. */
export function searchText(text: string): string {
  const query = text.trim();
  if (query.length < 1 || query.length > 200) throw badInput('text must be 1 to 200 characters', 'text');
  return query;
}

export class ProductService {
  constructor(
    private readonly dataSource: DataSource,
    /** Where a product write records that its embedding is due (with semantic search on); none without a model. */
    private readonly embeddingRequests: EmbeddingRequestStore | null = null,
  ) {}

  async create(input: CreateProductInput): Promise<ProductEntity> {
    const fields = normaliseProduct(input);
    return this.dataSource.transaction(async (manager) => {
      await this.requireCategory(manager, fields.categoryId);
      const repo = manager.getRepository(ProductEntity);
      const result = await this.write(() => repo.insert({ ...toColumns(fields), searchTokens: productSearchTokens(fields) }));
      const id = String(result.identifiers[0]?.id);
      await this.embeddingRequests?.request(manager, [id], new Date());
      return repo.findOneByOrFail({ id });
    });
  }

  async update(id: string, input: UpdateProductInput): Promise<ProductEntity> {
    const changes = normaliseChanges(input);
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ProductEntity);
      const existing = isRowId(id) ? await repo.createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id }).getOne() : null;
      if (!existing) throw notFound('Product', id);
      if (changes.categoryId !== undefined) await this.requireCategory(manager, changes.categoryId);
      const columns = toColumns(changes);
      if (changes.title !== undefined || changes.brand !== undefined || changes.description !== undefined) {
        columns.searchTokens = productSearchTokens({
          title: changes.title ?? existing.title,
          brand: changes.brand !== undefined ? changes.brand : existing.brand,
          description: changes.description ?? existing.description,
        });
      }
      if (Object.keys(columns).length > 0) {
        await this.write(() => repo.update({ id }, columns));
        await this.embeddingRequests?.request(manager, [id], new Date());
      }
      return repo.findOneByOrFail({ id });
    });
  }

  /** Newest first; `after` is the cursor of the last product of the previous page. */
  async list(filter: ProductFilter, subtree: CategoryEntity | null, first: number, after: string | null): Promise<ProductPage> {
    const afterId = after === null ? null : cursorId(after);
    const query = this.dataSource.getRepository(ProductEntity).createQueryBuilder('p');
    if (filter.categoryId !== null && filter.categoryId !== undefined) {
      if (!subtree) return { rows: [], hasNextPage: false, totalCount: 0 };
      query.innerJoin(CategoryEntity, 'c', 'c.id = p.category_id').andWhere('c.path LIKE :subtree', { subtree: `${subtree.path}%` });
    }
    if (filter.brand !== null && filter.brand !== undefined) query.andWhere('p.brand = :brand', { brand: filter.brand.trim() });
    if (filter.minPrice !== null && filter.minPrice !== undefined) {
      query.andWhere('p.price >= :minPrice', { minPrice: finitePrice(filter.minPrice, 'minPrice') });
    }
    if (filter.maxPrice !== null && filter.maxPrice !== undefined) {
      query.andWhere('p.price <= :maxPrice', { maxPrice: finitePrice(filter.maxPrice, 'maxPrice') });
    }
    if (filter.tag !== null && filter.tag !== undefined) {
      query.andWhere('JSON_CONTAINS(p.tags, JSON_QUOTE(:tag))', { tag: normaliseTag(filter.tag) });
    }
    const totalCount = await query.clone().getCount();
    if (afterId !== null) query.andWhere('p.id < CAST(:afterId AS SIGNED)', { afterId });
    const rows = await query
      .orderBy('p.id', 'DESC')
      .limit(first + 1)
      .getMany();
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
  }

  /**
   * Lexical search, through FULLTEXT indexes only. Latin text: its words against title, brand and
   * description; when no whole word matches, its words as prefixes there (earphone finds
   * earphones), then against `search_tokens`, which holds the words too short for that index (tv,
   * 4k). Text with Han characters: against `search_tokens`, which holds every word of the products
   * with Han text as jieba cuts them, the query cut the same way. Only kana and hangul, which
   * neither index splits, fall back to the substring scan weighted title > brand > description.
   */
  async search(text: string, first: number): Promise<SearchHit[]> {
    const query = searchText(text);
    if (HAN.test(query)) return this.tokenSearch(query, first);
    if (CJK.test(query)) return substringSearch(this.dataSource, query, first);
    const hits = await this.fulltext('MATCH(p.title, p.brand, p.description) AGAINST (:text IN NATURAL LANGUAGE MODE)', query, first);
    if (hits.length > 0) return hits;
    const prefixes = searchWords(query)
      .filter((word) => [...word].length >= FULLTEXT_MIN_CHARACTERS)
      .map((word) => `${word}*`)
      .join(' ');
    const byPrefix = prefixes ? await this.fulltext('MATCH(p.title, p.brand, p.description) AGAINST (:text IN BOOLEAN MODE)', prefixes, first) : [];
    return byPrefix.length > 0 ? byPrefix : this.tokenSearch(query, first);
  }

  private async tokenSearch(query: string, first: number): Promise<SearchHit[]> {
    const tokens = querySearchTokens(query);
    return tokens ? this.fulltext('MATCH(p.search_tokens) AGAINST (:text IN NATURAL LANGUAGE MODE)', tokens, first) : [];
  }

  private async fulltext(match: string, text: string, first: number): Promise<SearchHit[]> {
    const { entities, raw } = await this.dataSource
      .getRepository(ProductEntity)
      .createQueryBuilder('p')
      .addSelect(match, 'score')
      .where(`${match} > 0`)
      .setParameter('text', text)
      .orderBy('score', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(first)
      .getRawAndEntities<{ score: number | string }>();
    return entities.map((product, index) => ({ product, score: Number(raw[index]?.score ?? 0) }));
  }

  private async requireCategory(manager: EntityManager, categoryId: string): Promise<void> {
    const exists = isRowId(categoryId) && (await manager.getRepository(CategoryEntity).existsBy({ id: categoryId }));
    if (!exists) throw new AppError(ErrorCode.NotFound, `Category ${categoryId} does not exist`, { id: categoryId, field: 'categoryId' });
  }

  private async write<T>(statement: () => Promise<T>): Promise<T> {
    try {
      return await statement();
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY') {
        throw new AppError(ErrorCode.Conflict, 'Another product already has this sku', { field: 'sku' });
      }
      throw error;
    }
  }
}

/**
 * Substring matching weighted title > brand > description: every row's text is scanned (LIKE
 * '%…%' uses no index), so it serves only what no FULLTEXT index splits (kana, hangul);
 * pnpm bench:search measures it against the word index that replaced it for Chinese and short words.
 */
export async function substringSearch(dataSource: DataSource, text: string, first: number): Promise<SearchHit[]> {
  const terms = searchTerms(text);
  const parameters: Record<string, string> = {};
  const scores: string[] = [];
  const matches: string[] = [];
  terms.forEach((term, index) => {
    parameters[`t${index}`] = `%${term.replace(/[\\%_]/g, '\\$&')}%`;
    scores.push(
      `(CASE WHEN p.title LIKE :t${index} THEN 3 ELSE 0 END + CASE WHEN p.brand LIKE :t${index} THEN 2 ELSE 0 END + CASE WHEN p.description LIKE :t${index} THEN 1 ELSE 0 END)`,
    );
    matches.push(`p.title LIKE :t${index} OR p.brand LIKE :t${index} OR p.description LIKE :t${index}`);
  });
  const { entities, raw } = await dataSource
    .getRepository(ProductEntity)
    .createQueryBuilder('p')
    .addSelect(scores.join(' + '), 'score')
    .where(matches.join(' OR '), parameters)
    .orderBy('score', 'DESC')
    .addOrderBy('p.id', 'DESC')
    .limit(first)
    .getRawAndEntities<{ score: number | string }>();
  return entities.map((product, index) => ({ product, score: Number(raw[index]?.score ?? 0) }));
}

/**
 * Substring terms: whitespace-separated words, with CJK runs cut into overlapping bigrams so
 * `蓝牙耳机` still finds `蓝牙降噪耳机`; more matching bigrams rank higher.
 */
function searchTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const word of text.split(/\s+/)) {
    for (const part of word.split(CJK_RUNS)) {
      if (!part) continue;
      const chars = Array.from(part);
      if (!CJK.test(part) || chars.length < 3) {
        terms.add(part);
        continue;
      }
      for (let i = 0; i + 1 < chars.length; i += 1) terms.add(`${chars[i]}${chars[i + 1]}`);
    }
  }
  return [...terms].slice(0, MAX_SEARCH_TERMS);
}

function cursorId(after: string): string {
  const [id, ...rest] = decodeCursor(after);
  if (typeof id !== 'string' || rest.length > 0 || !isRowId(id)) throw badInput('after is not a cursor this API issued', 'after');
  return id;
}

function finitePrice(value: number, field: string): number {
  if (!Number.isFinite(value)) throw badInput(`${field} must be a finite number`, field);
  return value;
}

function normaliseChanges(input: UpdateProductInput): Partial<ProductFields> {
  const changes: Partial<ProductFields> = {};
  const required = (field: keyof UpdateProductInput) => {
    if (input[field] === null) throw badInput(`${field} cannot be null`, field);
    return input[field] !== undefined;
  };
  if (required('sku')) changes.sku = normaliseSku(input.sku!);
  if (required('title')) changes.title = normaliseTitle(input.title!);
  if (required('description')) changes.description = normaliseDescription(input.description);
  if (required('categoryId')) changes.categoryId = String(input.categoryId);
  if (input.brand !== undefined) changes.brand = normaliseBrand(input.brand);
  if (required('price')) changes.price = normalisePrice(input.price!);
  if (required('currency')) changes.currency = normaliseCurrency(input.currency);
  if (required('tags')) changes.tags = normaliseTags(input.tags);
  if (input.imageUrl !== undefined) changes.imageUrl = normaliseImageUrl(input.imageUrl);
  return changes;
}

function toColumns(fields: Partial<ProductFields>): Partial<ProductEntity> {
  const { price, ...rest } = fields;
  return price === undefined ? rest : { ...rest, price: price.toFixed(2) };
}
