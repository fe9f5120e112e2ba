import type { UserRef } from './user-ref.type';

/** Any user id the gateway sends is taken as is: users live in the user subgraph, not here. */
export function resolveUserReference(reference: Pick<UserRef, 'id'>): UserRef {
  return { id: reference.id };
}
