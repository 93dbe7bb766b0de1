import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { PUBLIC_ROUTE, PublicMode } from '../../common/auth/auth.decorators';
import { NotAuthenticatedException } from '../../common/errors/app.exception';
import { AuthToken } from '../tokens/auth-token.entity';
import { hashTokenKey } from '../tokens/token-hash';
import { TokenAuthenticatedRequest } from './current-token.decorator';

/**
 * Authenticates `Authorization: Token <key>`. A missing header is 401 unless the route is
 * public; a header that names no live token of an active user is always 401, as in DRF.
 */
@Injectable()
export class TokenAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<TokenAuthenticatedRequest>();
    const mode = this.reflector.getAllAndOverride<PublicMode | undefined>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    if (mode === 'no-auth') return true;
    const isPublic = mode === 'optional-auth';

    const header = request.headers.authorization;
    if (!header) {
      if (isPublic) return true;
      throw new NotAuthenticatedException();
    }

    const [scheme, key, extra] = header.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'token') {
      if (isPublic) return true;
      throw new NotAuthenticatedException();
    }
    if (!key) throw new NotAuthenticatedException('Invalid token header. No credentials provided.');
    if (extra) throw new NotAuthenticatedException('Invalid token header. Token string should not contain spaces.');

    const token = await this.dataSource
      .getRepository(AuthToken)
      .createQueryBuilder('token')
      .innerJoinAndSelect('token.user', 'user')
      .where('token.keyHash = :hash', { hash: hashTokenKey(key) })
      .getOne();
    if (!token || (token.expiresAt && token.expiresAt.getTime() <= Date.now())) {
      throw new NotAuthenticatedException('Invalid token.');
    }
    if (!token.user.isActive) throw new NotAuthenticatedException('User inactive or deleted.');

    request.user = token.user;
    request.authToken = { id: token.id, key, expiresAt: token.expiresAt };
    return true;
  }
}
