import { AppError, ErrorCode } from './errors';
import { isAnonymous, type Identity } from './identity';

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
 * Service-only fields (feeds one subgraph reads from another, consent and forgetting the user
 * subgraph carries): only a service identity (`ServiceClient`) is taken, not an admin's. They are
 * `@inaccessible` too: the gateway never routes to them, so only holders of the gateway secret
 * reach them at all.
 */
export function requireService(ctx: BaseContext, what: string): void {
  if (ctx.identity.roles.includes('service')) return;
  if (isAnonymous(ctx.identity)) {
    throw new AppError(ErrorCode.Unauthenticated, `Only services may read ${what}`);
  }
  throw new AppError(ErrorCode.Forbidden, `Only services may read ${what}`);
}
