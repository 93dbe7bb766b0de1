import { createParamDecorator, ExecutionContext } from '@nestjs/common';

import { AuthenticatedRequest } from '../../common/auth/auth.decorators';

/** The token that authenticated the request; `key` is the caller's own key from its header. */
export interface RequestToken {
  id: number;
  key: string;
  expiresAt: Date | null;
}

export interface TokenAuthenticatedRequest extends AuthenticatedRequest {
  authToken?: RequestToken;
}

/** The token of the current request, or null on a public route called anonymously. */
export const CurrentToken = createParamDecorator(
  (_: unknown, context: ExecutionContext): RequestToken | null =>
    context.switchToHttp().getRequest<TokenAuthenticatedRequest>().authToken ?? null,
);
