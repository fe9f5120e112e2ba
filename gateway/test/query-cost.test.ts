import { buildSchema, parse } from 'graphql';
import { operationCost } from '../src/query-cost';

const schema = buildSchema(`
  type Query {
    product(id: ID!): Product
    products(first: Int = 20): ProductConnection!
    search(text: String!, first: Int = 20): [Product!]!
    categories: [Category!]!
  }
  type ProductConnection { nodes: [Product!]! total: Int! }
  type Product { id: ID! title: String! category: Category! reviews(first: Int = 20): ReviewConnection! }
  type ReviewConnection { nodes: [Review!]! }
  type Review { text: String! author: Author! }
  type Author { name: String! }
  type Category { name: String! }
`);
const limits = { defaultListSize: 10, fieldCosts: { 'Query.search': 20 } };
const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  operationCost(schema, parse(query), operationName, variables, limits);

describe('operationCost', () => {
  it('charges 1 per object field and nothing for scalars', () => {
    expect(cost('{ product(id: "1") { id title category { name } } }')).toEqual({ cost: 2, aliases: 0 });
  });

  it("multiplies a connection's items by its page size, as sent, from a variable, or by default", () => {
    // the connection 1, then 50 products × (1 + category 1)
    expect(cost('{ products(first: 50) { total nodes { category { name } } } }').cost).toBe(1 + 50 * 2);
    expect(cost('query ($n: Int) { products(first: $n) { nodes { id } } }', { n: 5 }).cost).toBe(1 + 5);
    expect(cost('{ products { nodes { id } } }').cost).toBe(1 + 20);
  });

  it('multiplies nested pages: a hundred products with a hundred reviews each', () => {
    // search's extra 20, then 100 products × (1 + reviews 1 + 100 reviews × (1 + author 1))
    expect(cost('{ search(text: "x", first: 100) { reviews(first: 100) { nodes { text author { name } } } } }').cost).toBe(20 + 100 * (1 + 1 + 100 * 2));
  });

  it('assumes the default size for a list without a page argument', () => {
    expect(cost('{ categories { name } }').cost).toBe(10);
  });

  it('counts fragments where they are spread, and every alias', () => {
    const query = `
      query Two { a: search(text: "a") { ...Card } b: search(text: "b") { ...Card } }
      query Other { categories { name } }
      fragment Card on Product { category { name } ... on Product { reviews(first: 2) { nodes { text } } } }`;
    // Each search: its extra 20, then 20 products × (1 + category 1 + reviews 1 + 2 reviews)
    expect(cost(query, {}, 'Two')).toEqual({ cost: 2 * (20 + 20 * 5), aliases: 2 });
    expect(cost(query, {}, 'Other')).toEqual({ cost: 10, aliases: 0 });
  });

  it('prices __typename and unknown fields at nothing', () => {
    expect(cost('{ __typename product(id: "1") { __typename } }').cost).toBe(1);
  });
});
