import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';

import { NotFoundException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import { Paginator } from '../../common/http/pagination';
import { parseUuid } from '../../common/http/uuid';
import type { User } from '../../identity/users/user.entity';
import { ensureStaff } from '../common/staff-only';
import { RequestTypeAdminListQueryDto } from './dto/request-type-list-query.dto';
import { MAX_ORDER, RequestTypeOrderDto, RequestTypePatchDto, RequestTypeWriteDto } from './dto/request-type-write.dto';
import { RequestTypeAdminDto, RequestTypeDto } from './dto/request-type.dto';
import { RequestType } from './request-type.entity';
import { toRequestTypeAdminDto, toRequestTypeDto } from './request-type.mapper';

/**
 * Request types: every user reads the active ones, staff manage all of them. The order
 * is `order`, then the name ignoring case, so PGlite's C collation and PostgreSQL's
 * locale collations sort alike.
 */
@Injectable()
export class RequestTypesService {
  private readonly logger = new Logger(RequestTypesService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async listActive(paginator: Paginator, urls: ApiUrls): Promise<RequestTypeDto[]> {
    const query = this.ordered(this.dataSource.manager).where('request_type.isActive = true');
    return (await paginator.paginate(query)).map((requestType) => toRequestTypeDto(requestType, urls));
  }

  async retrieveActive(rawUuid: string, urls: ApiUrls): Promise<RequestTypeDto> {
    const requestType = await this.find(this.dataSource.manager, rawUuid);
    if (!requestType.isActive) throw new NotFoundException();
    return toRequestTypeDto(requestType, urls);
  }

  async list(user: User, query: RequestTypeAdminListQueryDto, paginator: Paginator, urls: ApiUrls): Promise<RequestTypeAdminDto[]> {
    ensureStaff(user);
    const builder = this.ordered(this.dataSource.manager);
    if (query.is_active !== undefined) builder.andWhere('request_type.isActive = :isActive', { isActive: query.is_active });
    if (query.name !== undefined) builder.andWhere('request_type.name ILIKE :name', { name: `%${escapeLike(query.name)}%` });
    return (await paginator.paginate(builder)).map((requestType) => toRequestTypeAdminDto(requestType, urls));
  }

  async retrieve(user: User, rawUuid: string, urls: ApiUrls): Promise<RequestTypeAdminDto> {
    ensureStaff(user);
    return toRequestTypeAdminDto(await this.find(this.dataSource.manager, rawUuid), urls);
  }

  /** Creates a request type by hand; without an `order` it goes after the others. */
  async create(user: User, body: RequestTypeWriteDto, urls: ApiUrls): Promise<RequestTypeAdminDto> {
    ensureStaff(user);
    const saved = await this.dataSource.transaction(async (manager) => {
      const order = body.order ?? (await this.nextOrder(manager));
      const repository = manager.getRepository(RequestType);
      return repository.save(
        repository.create({
          name: body.name,
          issueTypeName: body.issue_type_name,
          isActive: body.is_active ?? true,
          order,
          backendId: null,
          backendName: null,
        }),
      );
    });
    this.logger.log({ requestType: saved.uuid, user: user.uuid }, 'Request type created');
    return toRequestTypeAdminDto(saved, urls);
  }

  async update(user: User, rawUuid: string, body: RequestTypePatchDto, urls: ApiUrls): Promise<RequestTypeAdminDto> {
    ensureStaff(user);
    const requestType = await this.find(this.dataSource.manager, rawUuid);
    if (body.name !== undefined) requestType.name = body.name;
    if (body.issue_type_name !== undefined && body.issue_type_name !== requestType.issueTypeName) {
      requestType.issueTypeName = body.issue_type_name;
      // An admin's choice, so automatic request mapping keeps it.
      requestType.manualMapping = true;
    }
    if (body.is_active !== undefined) requestType.isActive = body.is_active;
    if (body.order !== undefined) requestType.order = body.order;
    return toRequestTypeAdminDto(await this.dataSource.getRepository(RequestType).save(requestType), urls);
  }

  async remove(user: User, rawUuid: string): Promise<void> {
    ensureStaff(user);
    const requestType = await this.find(this.dataSource.manager, rawUuid);
    await this.dataSource.getRepository(RequestType).delete({ id: requestType.id });
    this.logger.log({ requestType: requestType.uuid, user: user.uuid }, 'Request type deleted');
  }

  async setActive(user: User, rawUuid: string, isActive: boolean, urls: ApiUrls): Promise<RequestTypeAdminDto> {
    ensureStaff(user);
    const requestType = await this.find(this.dataSource.manager, rawUuid);
    requestType.isActive = isActive;
    await this.dataSource.getRepository(RequestType).update({ id: requestType.id }, { isActive });
    return toRequestTypeAdminDto(requestType, urls);
  }

  /** Sets the order of several request types at once; all of them must exist. Returns them in their new order. */
  async reorder(user: User, items: RequestTypeOrderDto[], urls: ApiUrls): Promise<RequestTypeAdminDto[]> {
    ensureStaff(user);
    const orders = new Map<string, number>();
    for (const item of items) {
      const uuid = parseUuid(item.uuid) as string;
      if (orders.has(uuid)) throw ValidationFailedException.nonField(`Request type ${item.uuid} is listed more than once.`);
      orders.set(uuid, item.order);
    }

    const updated = await this.dataSource.transaction(async (manager) => {
      const found = await manager
        .getRepository(RequestType)
        .createQueryBuilder('request_type')
        .where({ uuid: In([...orders.keys()]) })
        .setLock('pessimistic_write')
        .getMany();
      const missing = [...orders.keys()].filter((uuid) => !found.some((requestType) => requestType.uuid === uuid));
      if (missing.length > 0) {
        throw ValidationFailedException.nonField(`These request types do not exist: ${missing.map((uuid) => uuid.replace(/-/g, '')).join(', ')}.`);
      }
      for (const requestType of found) {
        requestType.order = orders.get(requestType.uuid) as number;
        await manager.update(RequestType, { id: requestType.id }, { order: requestType.order });
      }
      return found;
    });

    updated.sort((left, right) => left.order - right.order || left.name.toLowerCase().localeCompare(right.name.toLowerCase()) || left.id - right.id);
    return updated.map((requestType) => toRequestTypeAdminDto(requestType, urls));
  }

  private ordered(manager: EntityManager): SelectQueryBuilder<RequestType> {
    return manager
      .getRepository(RequestType)
      .createQueryBuilder('request_type')
      .orderBy('request_type.order', 'ASC')
      .addOrderBy('LOWER(request_type.name)', 'ASC')
      .addOrderBy('request_type.id', 'ASC');
  }

  private async find(manager: EntityManager, rawUuid: string): Promise<RequestType> {
    const uuid = parseUuid(rawUuid);
    if (!uuid) throw new NotFoundException();
    const requestType = await manager.getRepository(RequestType).findOneBy({ uuid });
    if (!requestType) throw new NotFoundException();
    return requestType;
  }

  private async nextOrder(manager: EntityManager): Promise<number> {
    const row = await manager.getRepository(RequestType).createQueryBuilder('request_type').select('MAX(request_type.order)', 'max').getRawOne<{ max: number | null }>();
    return Math.min((row?.max ?? -1) + 1, MAX_ORDER);
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
