// Error helpers of the workflow: the text of anything thrown, and whether the license service
// refused on purpose (a LicensingError, also when it crossed a module boundary as a plain object).
import { isLicensingError, type FailureCause } from '../licensing/model';

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Anything thrown, kept as a code and data to be said in the reader's language (src/i18n/explain.ts failureText). */
export function failureCause(err: unknown): FailureCause {
  if (isLicensingError(err)) return { code: err.code, data: { ...(err.data ?? {}) }, message: err.message };
  return { code: 'UNEXPECTED', data: {}, message: errorMessage(err) };
}

/** Defined once, beside LicensingError (src/licensing/model.ts). */
export { isLicensingError };
