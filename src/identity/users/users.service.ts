import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';

import { NotFoundException, PermissionDeniedException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import { applyOrdering } from '../../common/http/ordering';
import { Paginator } from '../../common/http/pagination';
import { formatUuid, parseUuid } from '../../common/http/uuid';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { seesEverything } from '../access/visibility';
import { RequestToken } from '../auth/current-token.decorator';
import { hashPassword } from '../auth/password-hash';
import { passwordProblem } from '../auth/password-policy';
import { ACTIVE_GRANT } from '../roles/role-queries';
import { roleUuid } from '../roles/role-uuid';
import { RoleName } from '../roles/role-name';
import { isUniqueViolation } from '../shared/database-errors';
import { containsPattern } from '../shared/like-pattern';
import { mintToken } from '../tokens/token-minting';
import { ListUsersQueryDto } from './dto/list-users-query.dto';
import { PasswordChangeDto, PatchUserRequestDto, UserRequestDto } from './dto/user-request.dto';
import { CurrentUserDto, PermissionDto, toUserDto, UserAuthTokenDto, UserDto } from './dto/user.dto';
import { composeFullName, insertUser, USERNAME_TAKEN_MESSAGE } from './user-accounts';
import { User } from './user.entity';

const ORDERING = {
  username: 'user.username',
  email: 'user.email',
  full_name: 'user.fullName',
  is_active: 'user.isActive',
  is_staff: 'user.isStaff',
  is_support: 'user.isSupport',
  date_joined: 'user.dateJoined',
};

/** Fields only staff may change, even on their own account. */
const PRIVILEGED_FIELDS = ['username', 'is_staff', 'is_support', 'is_active'] as const;

interface PermissionRow {
  role: RoleName;
  scope: 'customer' | 'project';
  expiration_time: Date | null;
  created: Date;
  scope_uuid: string;
  scope_name: string;
  customer_uuid: string;
  customer_name: string;
}

/**
 * Users: staff create, change and list every user, global support lists every user,
 * and everyone else gets only their own record.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(actor: User, query: ListUsersQueryDto, paginator: Paginator, urls: ApiUrls): Promise<UserDto[]> {
    const builder = this.dataSource.getRepository(User).createQueryBuilder('user');
    if (!seesEverything(actor)) builder.andWhere('user.id = :actorId', { actorId: actor.id });

    if (query.username !== undefined) builder.andWhere('user.username = :username', { username: query.username });
    if (query.username_list !== undefined) {
      const usernames = query.username_list.split(',').map((name) => name.trim()).filter(Boolean);
      builder.andWhere(usernames.length > 0 ? 'user.username IN (:...usernames)' : 'FALSE', { usernames });
    }
    if (query.email !== undefined) builder.andWhere('user.email ILIKE :email', { email: containsPattern(query.email) });
    if (query.full_name !== undefined) builder.andWhere('user.fullName ILIKE :fullName', { fullName: containsPattern(query.full_name) });
    if (query.civil_number !== undefined) builder.andWhere('user.civilNumber = :civilNumber', { civilNumber: query.civil_number });
    if (query.query !== undefined) {
      const pattern = containsPattern(query.query);
      builder.andWhere(
        new Brackets((where) => {
          where
            .where('user.username ILIKE :pattern', { pattern })
            .orWhere('user.fullName ILIKE :pattern')
            .orWhere('user.firstName ILIKE :pattern')
            .orWhere('user.lastName ILIKE :pattern')
            .orWhere('user.email ILIKE :pattern');
        }),
      );
    }
    if (query.is_active !== undefined) builder.andWhere('user.isActive = :isActive', { isActive: query.is_active });
    if (query.is_staff !== undefined) builder.andWhere('user.isStaff = :isStaff', { isStaff: query.is_staff });
    if (query.is_support !== undefined) builder.andWhere('user.isSupport = :isSupport', { isSupport: query.is_support });
    if (query.customer_uuid !== undefined) {
      const customerUuid = parseUuid(query.customer_uuid);
      if (!customerUuid) throw ValidationFailedException.field('customer_uuid', 'Enter a valid UUID.');
      builder.andWhere(
        `user.id IN (SELECT grant_row.user_id FROM role_grants grant_row JOIN customers role_customer ON role_customer.id = grant_row.customer_id
                      WHERE role_customer.uuid = :customerUuid AND ${ACTIVE_GRANT})`,
        { customerUuid },
      );
    }
    if (query.project_uuid !== undefined) {
      const projectUuid = parseUuid(query.project_uuid);
      if (!projectUuid) throw ValidationFailedException.field('project_uuid', 'Enter a valid UUID.');
      builder.andWhere(
        `user.id IN (SELECT grant_row.user_id FROM role_grants grant_row JOIN projects role_project ON role_project.id = grant_row.project_id
                      WHERE role_project.uuid = :projectUuid AND ${ACTIVE_GRANT})`,
        { projectUuid },
      );
    }
    applyOrdering(builder, query.o, ORDERING, ['username']);

    const users = await paginator.paginate(builder);
    return users.map((user) => toUserDto(user, urls));
  }

  async retrieve(actor: User, uuid: string, urls: ApiUrls): Promise<UserDto> {
    return toUserDto(await this.findVisible(actor, uuid), urls);
  }

  /** Returns the caller with the token of this request and the caller's active roles. */
  async me(actor: User, token: RequestToken | null, urls: ApiUrls): Promise<CurrentUserDto> {
    return {
      ...toUserDto(actor, urls),
      token: token?.key ?? null,
      token_expires_at: token?.expiresAt?.toISOString() ?? null,
      permissions: await this.activePermissions(actor),
    };
  }

  async create(actor: User, body: UserRequestDto, urls: ApiUrls): Promise<UserDto> {
    if (!actor.isStaff) throw new PermissionDeniedException();
    const user = await insertUser(this.dataSource.manager, {
      username: body.username,
      email: body.email,
      firstName: body.first_name,
      lastName: body.last_name,
      isStaff: body.is_staff,
      isSupport: body.is_support,
      isActive: body.is_active,
      tokenLifetime: body.token_lifetime,
    });
    return toUserDto(user, urls);
  }

  /**
   * Updates a user. Staff change anyone, and others change only their own profile fields.
   * A privileged field sent by non-staff with a new value is a 403. The unchanged value is
   * accepted, so a PUT of the object as read still works.
   */
  async update(actor: User, uuid: string, body: UserRequestDto | PatchUserRequestDto, urls: ApiUrls): Promise<UserDto> {
    const user = await this.findVisible(actor, uuid);
    if (!actor.isStaff) {
      if (user.id !== actor.id) throw new PermissionDeniedException();
      const current = { username: user.username, is_staff: user.isStaff, is_support: user.isSupport, is_active: user.isActive };
      const changed = PRIVILEGED_FIELDS.filter((field) => body[field] !== undefined && body[field] !== current[field]);
      if (changed.length > 0) throw new PermissionDeniedException(`Only staff can change ${changed.join(', ')}.`);
    }

    const changes: Partial<User> = {};
    if (body.username !== undefined) changes.username = body.username;
    if (body.email !== undefined) changes.email = body.email;
    if (body.first_name !== undefined) changes.firstName = body.first_name;
    if (body.last_name !== undefined) changes.lastName = body.last_name;
    if (body.is_staff !== undefined) changes.isStaff = body.is_staff;
    if (body.is_support !== undefined) changes.isSupport = body.is_support;
    if (body.is_active !== undefined) changes.isActive = body.is_active;
    if (body.token_lifetime !== undefined) changes.tokenLifetime = body.token_lifetime;
    if (changes.firstName !== undefined || changes.lastName !== undefined) {
      changes.fullName = composeFullName(changes.firstName ?? user.firstName, changes.lastName ?? user.lastName);
    }

    const repository = this.dataSource.getRepository(User);
    try {
      const saved = await repository.save(repository.merge(user, changes));
      return toUserDto(saved, urls);
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_key')) throw ValidationFailedException.field('username', USERNAME_TAKEN_MESSAGE);
      throw error;
    }
  }

  /**
   * Sets a user's password (staff only). The user's other tokens are revoked, so a leaked
   * token stops working; the token of this request is kept.
   */
  async changePassword(actor: User, uuid: string, body: PasswordChangeDto, currentToken: RequestToken | null): Promise<{ detail: string }> {
    const user = await this.findVisible(actor, uuid);
    if (!actor.isStaff) throw new PermissionDeniedException();
    const problem = passwordProblem(body.new_password);
    if (problem) throw ValidationFailedException.field('new_password', problem);

    const passwordHash = await hashPassword(body.new_password);
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(User).update(user.id, { passwordHash });
      await manager.query('DELETE FROM auth_tokens WHERE user_id = $1 AND id <> $2', [user.id, currentToken?.id ?? 0]);
    });
    return { detail: 'Password has been successfully updated.' };
  }

  /** Mints a new token for a user (staff only); earlier tokens stay valid until they expire. */
  async token(actor: User, uuid: string): Promise<UserAuthTokenDto> {
    const user = await this.findVisible(actor, uuid);
    if (!actor.isStaff) throw new PermissionDeniedException();
    const { key, token } = await mintToken(this.dataSource.manager, user, this.config.tokenLifetimeSeconds);
    return {
      token: key,
      created: token.created.toISOString(),
      expires_at: token.expiresAt?.toISOString() ?? null,
      user_username: user.username,
      user_first_name: user.firstName,
      user_last_name: user.lastName,
      user_is_active: user.isActive,
      user_token_lifetime: user.tokenLifetime,
    };
  }

  /** Finds a user `actor` may see; an unknown or hidden one is 404 alike. */
  async findVisible(actor: User, rawUuid: string): Promise<User> {
    const uuid = parseUuid(rawUuid);
    if (!uuid) throw new NotFoundException();
    if (!seesEverything(actor)) {
      if (uuid !== actor.uuid) throw new NotFoundException();
    }
    const user = await this.dataSource.getRepository(User).findOneBy({ uuid });
    if (!user) throw new NotFoundException();
    return user;
  }

  private async activePermissions(actor: User): Promise<PermissionDto[]> {
    const rows = await this.dataSource.query<PermissionRow[]>(
      `SELECT grant_row.role, grant_row.scope, grant_row.expiration_time, grant_row.created,
              COALESCE(scope_customer.uuid, scope_project.uuid) AS scope_uuid,
              COALESCE(scope_customer.name, scope_project.name) AS scope_name,
              COALESCE(scope_customer.uuid, project_customer.uuid) AS customer_uuid,
              COALESCE(scope_customer.name, project_customer.name) AS customer_name
         FROM role_grants grant_row
         LEFT JOIN customers scope_customer ON scope_customer.id = grant_row.customer_id
         LEFT JOIN projects scope_project ON scope_project.id = grant_row.project_id
         LEFT JOIN customers project_customer ON project_customer.id = scope_project.customer_id
        WHERE grant_row.user_id = $1 AND ${ACTIVE_GRANT}
        ORDER BY grant_row.created, grant_row.id`,
      [actor.id],
    );
    return rows.map((row) => ({
      role_name: row.role,
      role_uuid: roleUuid(row.role),
      scope_type: row.scope,
      scope_uuid: formatUuid(row.scope_uuid),
      scope_name: row.scope_name,
      customer_uuid: formatUuid(row.customer_uuid),
      customer_name: row.customer_name,
      expiration_time: row.expiration_time ? new Date(row.expiration_time).toISOString() : null,
      created: new Date(row.created).toISOString(),
    }));
  }
}
