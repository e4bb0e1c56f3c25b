// Error helpers of the workflow: the text of anything thrown, and whether the license service
// refused on purpose (a LicensingError, also when it crossed a module boundary as a plain object).
import { LicensingError } from '../licensing/model';

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function isLicensingError(err: unknown): err is LicensingError {
  return err instanceof LicensingError || (err instanceof Error && err.name === 'LicensingError' && 'code' in err);
}
