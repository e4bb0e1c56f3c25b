// Error helpers of the workflow: the text of anything thrown, and whether the license service
// refused on purpose (a LicensingError, also when it crossed a module boundary as a plain object).
import { isLicensingError } from '../licensing/model';

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Defined once, beside LicensingError (src/licensing/model.ts). */
export { isLicensingError };
