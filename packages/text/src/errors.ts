/**
 * Raised for input the text functions cannot work with. The package does not depend on
 * `@serendip/federation`, so it cannot throw `AppError`; `code` carries the matching `ErrorCode`
 * value so the edge that catches it maps it to a coded GraphQL error unchanged.
 */
export class TextError extends Error {
  constructor(
    message: string,
    /** The offending argument or field. */
    readonly field?: string,
    /** `INTERNAL_SERVER_ERROR` when a caller-supplied function (a classifier) broke its contract. */
    readonly code: 'BAD_USER_INPUT' | 'INTERNAL_SERVER_ERROR' = 'BAD_USER_INPUT',
  ) {
    super(message);
    this.name = 'TextError';
  }
}
