import { AppError, ErrorCode } from './errors';
import type { Identity } from './identity';

/** What every subgraph resolver receives; subgraphs add their loaders and services. */
export interface BaseContext {
  identity: Identity;
}

/** The signed-in shopper's id; anonymous callers get UNAUTHENTICATED. */
export function requireUser(ctx: BaseContext): string {
  if (!ctx.identity.userId) {
    throw new AppError(ErrorCode.Unauthenticated, 'Sign in to do this');
  }
  return ctx.identity.userId;
}

export function isAdmin(ctx: BaseContext): boolean {
  return ctx.identity.roles.includes('admin');
}

export function requireAdmin(ctx: BaseContext): void {
  requireUser(ctx);
  if (!isAdmin(ctx)) throw new AppError(ErrorCode.Forbidden, 'Only an admin may do this');
}

/** A shopper reads and writes only their own data; an admin may act on anyone's. */
export function requireSelfOrAdmin(ctx: BaseContext, userId: string): void {
  const caller = requireUser(ctx);
  if (caller !== userId && !isAdmin(ctx)) {
    throw new AppError(ErrorCode.Forbidden, "You may not access another shopper's data");
  }
}

/**
 * Service-only queries (feeds one subgraph reads from another): identities have no service role,
 * as subgraphs call each other signed as a user-less admin (see `CatalogueClient`), so the admin
 * role is what is checked. Such queries are `@inaccessible`: the gateway never routes to them,
 * so only holders of the gateway secret reach them at all.
 */
export function requireService(ctx: BaseContext, what: string): void {
  if (isAdmin(ctx)) return;
  if (ctx.identity.userId === null && ctx.identity.roles.length === 0) {
    throw new AppError(ErrorCode.Unauthenticated, `Only services may read ${what}`);
  }
  throw new AppError(ErrorCode.Forbidden, `Only services may read ${what}`);
}
