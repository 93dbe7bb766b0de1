import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { FailedDependencyException } from '../../common/errors/app.exception';
import { SettingsService } from '../../settings/settings.service';
import { SUPPORT_ENDPOINT } from './support-endpoint.decorator';
import { isSupportEnabled } from './support-settings';

/**
 * Answers 424 on every `@SupportEndpoint()` route while support is disabled. It is a global
 * guard registered before `TokenAuthGuard`, so anonymous callers get 424 rather than 401.
 */
@Injectable()
export class SupportEnabledGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly settings: SettingsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const isSupportRoute = this.reflector.getAllAndOverride<boolean | undefined>(SUPPORT_ENDPOINT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isSupportRoute && !isSupportEnabled(this.settings)) {
      throw new FailedDependencyException('Support extension is disabled.');
    }
    return true;
  }
}
