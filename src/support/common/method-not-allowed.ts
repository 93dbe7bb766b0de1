import { AppException } from '../../common/errors/app.exception';

/** Builds DRF's 405 for a verb the resource does not offer, with the `Allow` header listing those it does. */
export function methodNotAllowed(method: string, allowed: readonly string[]): AppException {
  return new AppException('method_not_allowed', `Method "${method}" not allowed.`, undefined, { Allow: allowed.join(', ') });
}
