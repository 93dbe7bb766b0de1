import { Injectable } from '@nestjs/common';

import { AppException } from '../../common/errors/app.exception';
import type { User } from '../../identity/users/user.entity';
import { assertStaff } from './atlassian-discovery.service';

/**
 * Rejects the generic CRUD routes of `/api/support/settings/atlassian/`, which the
 * reference schema lists but which address nothing. As in Django REST Framework, the
 * permission check runs first, so only staff see the 405.
 */
@Injectable()
export class SettingsAtlassianMethodsService {
  reject(user: User, method: string): never {
    assertStaff(user);
    throw new AppException('method_not_allowed', `Method "${method}" not allowed.`);
  }
}
