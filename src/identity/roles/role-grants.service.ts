import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In } from 'typeorm';

import { ValidationFailedException } from '../../common/errors/app.exception';
import { uuidFromHyperlink } from '../../common/http/api-urls';
import { applyOrdering } from '../../common/http/ordering';
import { Paginator } from '../../common/http/pagination';
import { formatUuid } from '../../common/http/uuid';
import { containsPattern } from '../shared/like-pattern';
import { isUniqueViolation } from '../shared/database-errors';
import { User } from '../users/user.entity';
import { AddUserRoleDto, DeleteUserRoleDto } from './dto/user-role-request.dto';
import { ListUserRolesQueryDto } from './dto/list-user-roles-query.dto';
import { toUserRoleDetailsDto, UserRoleDetailsDto } from './dto/user-role-details.dto';
import { RoleGrant } from './role-grant.entity';
import { RoleName } from './role-name';
import { assertMayManageRole, assertMayManageRoles } from './role-permissions';
import { rolesOfScope, RoleScopeTarget, scopeColumns, scopeWhere } from './role-scope';
import { roleFromNameOrUuid } from './role-uuid';

const ORDERING = {
  created: 'grant.created',
  expiration_time: 'grant.expirationTime',
  role: 'grant.role',
  username: 'user.username',
  email: 'user.email',
  full_name: 'user.fullName',
  // Users here have no native name; sorting by it sorts by full name.
  native_name: 'user.fullName',
};

/**
 * Grants, revokes and lists roles in a customer or project. Callers have already checked
 * that `actor` can see the scope (404 otherwise); these methods check who may change it.
 */
@Injectable()
export class RoleGrantsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Grants a role. Granting an active role again is a 400; granting a role whose earlier
   * grant has expired renews that grant with the new expiration time.
   */
  async addUser(actor: User, scope: RoleScopeTarget, body: AddUserRoleDto): Promise<{ expiration_time: string | null }> {
    const manager = this.dataSource.manager;
    await assertMayManageRoles(manager, actor, scope);

    const role = this.parseRole(scope, body.role);
    const user = await this.findUser(body.user);
    const expirationTime = body.expiration_time ? new Date(body.expiration_time) : null;
    if (expirationTime && expirationTime.getTime() <= Date.now()) {
      throw ValidationFailedException.field('expiration_time', 'Expiration time should be greater than current time.');
    }
    await assertMayManageRole(manager, actor, scope, role);

    const repository = manager.getRepository(RoleGrant);
    const columns = scopeColumns(scope);
    const existing = await repository.findOneBy({ ...scopeWhere(scope), userId: user.id, role });
    if (existing && isActive(existing)) {
      throw ValidationFailedException.nonField(`User ${user.username} already has the ${role} role in this ${scope.kind}.`);
    }

    try {
      if (existing) {
        await repository.update(existing.id, { expirationTime, createdById: actor.id, created: new Date() });
      } else {
        await repository.insert({ ...columns, userId: user.id, role, expirationTime, createdById: actor.id });
      }
    } catch (error) {
      // A concurrent request granted the same role first.
      if (isUniqueViolation(error)) throw ValidationFailedException.nonField(`User ${user.username} already has the ${role} role in this ${scope.kind}.`);
      throw error;
    }
    return { expiration_time: expirationTime?.toISOString() ?? null };
  }

  /** Revokes a role, whether its grant is active or expired. */
  async deleteUser(actor: User, scope: RoleScopeTarget, body: DeleteUserRoleDto): Promise<{ detail: string }> {
    const manager = this.dataSource.manager;
    await assertMayManageRoles(manager, actor, scope);

    const role = this.parseRole(scope, body.role);
    const user = await this.findUser(body.user);
    await assertMayManageRole(manager, actor, scope, role);

    const result = await manager.getRepository(RoleGrant).delete({ ...scopeWhere(scope), userId: user.id, role });
    if (!result.affected) {
      throw ValidationFailedException.nonField(`User ${user.username} does not have the ${role} role in this ${scope.kind}.`);
    }
    return { detail: `Role ${role} of user ${user.username} has been revoked.` };
  }

  /** Lists the grants of a scope, expired ones included, each with its expiration time. */
  async listUsers(scope: RoleScopeTarget, query: ListUserRolesQueryDto, paginator: Paginator): Promise<UserRoleDetailsDto[]> {
    const where = scopeWhere(scope);
    const builder = this.dataSource
      .getRepository(RoleGrant)
      .createQueryBuilder('grant')
      .innerJoinAndSelect('grant.user', 'user')
      .where('customerId' in where ? 'grant.customerId = :scopeId' : 'grant.projectId = :scopeId', {
        scopeId: 'customerId' in where ? where.customerId : where.projectId,
      });

    if (query.role !== undefined) {
      const role = roleFromNameOrUuid(query.role);
      if (!role) throw ValidationFailedException.field('role', `Select a valid choice. ${query.role} is not one of the available choices.`);
      builder.andWhere('grant.role = :role', { role });
    }
    const userValue = query.user ?? query.user_url;
    if (userValue !== undefined) {
      const userUuid = uuidFromHyperlink(userValue, 'users');
      if (!userUuid) throw ValidationFailedException.field(query.user !== undefined ? 'user' : 'user_url', 'Enter a valid UUID.');
      builder.andWhere('user.uuid = :userUuid', { userUuid });
    }
    if (query.username !== undefined) builder.andWhere('user.username = :username', { username: query.username });
    if (query.full_name !== undefined) builder.andWhere('user.fullName ILIKE :fullName', { fullName: containsPattern(query.full_name) });
    if (query.search_string !== undefined) {
      const pattern = containsPattern(query.search_string);
      builder.andWhere(
        new Brackets((where) => {
          where.where('user.username ILIKE :pattern', { pattern }).orWhere('user.fullName ILIKE :pattern').orWhere('user.email ILIKE :pattern');
        }),
      );
    }
    applyOrdering(builder, query.o, ORDERING, ['-created'], 'grant.id');

    const grants = await paginator.paginate(builder);
    const creators = await this.loadCreators(grants);
    return grants.map((grant) => toUserRoleDetailsDto(grant, grant.createdById ? creators.get(grant.createdById) : undefined));
  }

  private parseRole(scope: RoleScopeTarget, value: string): RoleName {
    const allowed = rolesOfScope(scope);
    const role = allowed.find((name) => name === value);
    if (!role) {
      throw ValidationFailedException.field('role', `Select a valid choice. ${value} is not a ${scope.kind} role; use one of ${allowed.join(', ')}.`);
    }
    return role;
  }

  private async findUser(value: string): Promise<User> {
    const uuid = uuidFromHyperlink(value, 'users');
    if (!uuid) throw ValidationFailedException.field('user', `"${value}" is not a valid UUID.`);
    const user = await this.dataSource.getRepository(User).findOneBy({ uuid });
    if (!user) throw ValidationFailedException.field('user', `User with uuid ${formatUuid(uuid)} does not exist.`);
    return user;
  }

  private async loadCreators(grants: RoleGrant[]): Promise<Map<number, Pick<User, 'uuid' | 'fullName'>>> {
    const ids = [...new Set(grants.map((grant) => grant.createdById).filter((id): id is number => id !== null))];
    if (ids.length === 0) return new Map();
    const creators = await this.dataSource.getRepository(User).find({ select: { id: true, uuid: true, fullName: true }, where: { id: In(ids) } });
    return new Map(creators.map((creator) => [creator.id, creator]));
  }
}

function isActive(grant: RoleGrant): boolean {
  return grant.expirationTime === null || grant.expirationTime.getTime() > Date.now();
}
