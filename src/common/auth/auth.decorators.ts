import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Request } from 'express';

import type { User } from '../../identity/users/user.entity';
import { NotAuthenticatedException } from '../errors/app.exception';

export const PUBLIC_ROUTE = 'deskbridge:public';

export type PublicMode = 'optional-auth' | 'no-auth';

/**
 * Lets anonymous callers through. By default a token, if sent, is still checked and
 * attached (a bad one is 401, as in DRF); `no-auth` routes such as probes ignore it.
 */
export const Public = (mode: PublicMode = 'optional-auth') => SetMetadata(PUBLIC_ROUTE, mode);

export interface AuthenticatedRequest extends Request {
  user?: User;
}

/** The authenticated user; on a public route it is null for anonymous callers. */
export const CurrentUser = createParamDecorator((options: { optional?: boolean } | undefined, context: ExecutionContext) => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user ?? null;
  if (!user && !options?.optional) throw new NotAuthenticatedException();
  return user;
});
