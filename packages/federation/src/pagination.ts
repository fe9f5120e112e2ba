import { Directive, Field, ObjectType } from 'type-graphql';
import { badInput } from './errors';

/** Relay-style page information, shared by every subgraph that pages a list. */
@Directive('@shareable')
@ObjectType('PageInfo')
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to fetch the next page.' })
  endCursor!: string | null;
}

/**
 * Cursors are opaque to clients: base64url of the sort key of the last item, so a page is found
 * with a seek (`WHERE key < cursor`) rather than an OFFSET that grows with depth.
 */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): (string | number)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.every((part) => typeof part === 'string' || typeof part === 'number')) {
      return key;
    }
  } catch {
    // fall through to the coded error
  }
  throw badInput('after is not a cursor this API issued', 'after');
}

/** Page size guard shared by every paged field. */
export function pageSize(first: number, max = 100): number {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw badInput(`first must be between 1 and ${max}`, 'first');
  }
  return first;
}
