/**
 * Raised for input the recommender maths cannot work with (mismatched dimensions, parameters out
 * of range). The package has no dependencies, so it cannot throw the federation `AppError`; its
 * `code` carries the same value as `ErrorCode.BadUserInput` so the edge that catches it can map
 * it to a coded GraphQL error unchanged.
 */
export class RecsysError extends Error {
  readonly code = 'BAD_USER_INPUT' as const;

  constructor(
    message: string,
    /** The offending option or argument. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RecsysError';
  }
}
