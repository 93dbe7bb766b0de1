import { AppException } from '../../common/errors/app.exception';

/** A verb the resource exists for but does not offer; DRF's 405 with an `Allow` header. */
export class MethodNotAllowedException extends AppException {
  constructor(method: string, allowed: readonly string[]) {
    super('method_not_allowed', `Method "${method}" not allowed.`, undefined, { Allow: allowed.join(', ') });
  }
}
