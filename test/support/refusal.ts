import { DomainError } from '../../shared/platform/errors.js';

/** The DomainError a decision refuses with; anything else thrown, or nothing, fails the test. */
export function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
