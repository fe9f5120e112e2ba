/**
 * Raised for input the privacy maths cannot work with, or a release the budget cannot pay for.
 * The package has no dependencies, so it cannot throw the federation `AppError`; its `code` carries
 * the same values as `ErrorCode.BadUserInput` and `ErrorCode.PrivacyBudgetExhausted` so the edge
 * that catches it can map it to a coded GraphQL error unchanged.
 */
export class PrivacyError extends Error {
  constructor(
    readonly code: 'BAD_USER_INPUT' | 'PRIVACY_BUDGET_EXHAUSTED',
    message: string,
    /** The offending option or argument. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'PrivacyError';
  }
}
