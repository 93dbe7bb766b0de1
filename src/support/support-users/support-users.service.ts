import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';

import { NotFoundException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls, uuidFromHyperlink } from '../../common/http/api-urls';
import { Paginator } from '../../common/http/pagination';
import { formatUuid } from '../../common/http/uuid';
import type { User } from '../../identity/users/user.entity';
import type { BackendName } from '../common/backend-name';
import { containsPattern } from '../common/like-pattern';
import { assertStaffOrSupport } from '../common/support-roles';
import { SupportUserQueryDto } from './dto/support-user-query.dto';
import { SupportUser } from './support-user.entity';

export interface SupportUserResponse {
  url: string;
  uuid: string;
  name: string;
  backend_id: string | null;
  backend_name: string | null;
  user: string | null;
}

/** Helpdesk accounts (agents and customers), linked to our users where known. */
@Injectable()
export class SupportUsersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(viewer: User, query: SupportUserQueryDto, paginator: Paginator, urls: ApiUrls): Promise<SupportUserResponse[]> {
    assertStaffOrSupport(viewer);
    const builder = this.dataSource
      .getRepository(SupportUser)
      .createQueryBuilder('supportUser')
      .leftJoinAndSelect('supportUser.user', 'user')
      .orderBy('supportUser.name', 'ASC')
      .addOrderBy('supportUser.id', 'ASC');
    if (query.name) builder.andWhere('supportUser.name ILIKE :name', { name: containsPattern(query.name) });
    if (query.backend_id) builder.andWhere('supportUser.backendId = :backendId', { backendId: query.backend_id });
    if (query.user) this.filterByUser(builder, query.user);
    const rows = await paginator.paginate(builder);
    return rows.map((row) => toSupportUserResponse(row, urls));
  }

  async retrieve(viewer: User, uuid: string, urls: ApiUrls): Promise<SupportUserResponse> {
    assertStaffOrSupport(viewer);
    const supportUser = await this.dataSource.getRepository(SupportUser).findOne({ where: { uuid }, relations: { user: true } });
    if (!supportUser) throw new NotFoundException();
    return toSupportUserResponse(supportUser, urls);
  }

  /**
   * Returns the helpdesk account of `user` in `backendName`, created on first use and named
   * after the user's full name (or username). Active accounts are preferred over deactivated ones.
   */
  async getOrCreateForUser(manager: EntityManager, user: User, backendName: BackendName): Promise<SupportUser> {
    const repository = manager.getRepository(SupportUser);
    const existing = await repository.findOne({
      where: { userId: user.id, backendName },
      order: { isActive: 'DESC', id: 'ASC' },
    });
    if (existing) return Object.assign(existing, { user });
    const created = await repository.save(
      repository.create({ name: displayName(user), userId: user.id, backendName, backendId: null, isActive: true }),
    );
    return Object.assign(created, { user });
  }

  /** Reads the linked user as a numeric id (the schema's type), a UUID or a user URL. */
  private filterByUser(builder: SelectQueryBuilder<SupportUser>, raw: string): void {
    if (/^\d+$/.test(raw)) {
      builder.andWhere('supportUser.userId = :userId', { userId: Number(raw) });
      return;
    }
    const uuid = uuidFromHyperlink(raw, 'users');
    if (!uuid) throw ValidationFailedException.field('user', 'Enter a whole number.');
    builder.andWhere('user.uuid = :userUuid', { userUuid: uuid });
  }
}

export function toSupportUserResponse(supportUser: SupportUser, urls: ApiUrls): SupportUserResponse {
  return {
    url: urls.detail('support-users', supportUser.uuid),
    uuid: formatUuid(supportUser.uuid),
    name: supportUser.name,
    backend_id: supportUser.backendId,
    backend_name: supportUser.backendName,
    user: supportUser.user ? urls.detail('users', supportUser.user.uuid) : null,
  };
}

/** Returns the name a new helpdesk account gets: the user's full name, else the username. */
export function displayName(user: Pick<User, 'fullName' | 'username'>): string {
  return (user.fullName.trim() || user.username).slice(0, 150);
}
