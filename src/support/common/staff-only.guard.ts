import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';

import { AuthenticatedRequest } from '../../common/auth/auth.decorators';
import { NotAuthenticatedException, PermissionDeniedException } from '../../common/errors/app.exception';

/**
 * Rejects non-staff callers before interceptors and pipes run, so they get 403 before any
 * body validation and before an upload stores a byte. Services check again.
 */
@Injectable()
export class StaffOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) throw new NotAuthenticatedException();
    if (!user.isStaff) throw new PermissionDeniedException();
    return true;
  }
}
