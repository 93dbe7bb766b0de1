import { AppException } from '../../common/errors/app.exception';

/** The 405 DRF returns for a verb a viewset does not offer, e.g. `Method "PUT" not allowed.` */
export function methodNotAllowed(method: string): AppException {
  return new AppException('method_not_allowed', `Method "${method}" not allowed.`);
}
