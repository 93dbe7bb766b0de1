import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';

import { ConflictException, NotFoundException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import { applyOrdering } from '../../common/http/ordering';
import { Paginator } from '../../common/http/pagination';
import { formatUuid } from '../../common/http/uuid';
import type { User } from '../../identity/users/user.entity';
import { SupportBackend } from '../backends/support-backend';
import { SupportBackendProvider } from '../backends/support-backend.provider';
import { containsPattern } from '../common/like-pattern';
import { assertStaff } from '../common/support-roles';
import { PriorityCreateDto, PriorityPatchDto, PriorityQueryDto } from './dto/priority.dto';
import { Priority } from './priority.entity';

export interface PriorityResponse {
  url: string;
  uuid: string;
  name: string;
  description: string;
  icon_url: string;
}

const DUPLICATE_NAME = 'Priority with this name already exists.';

/**
 * Priorities of the active backend (and those recorded without a backend). Remote backends
 * pull theirs; on a backend that manages priorities locally staff edit them here.
 */
@Injectable()
export class PrioritiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly backends: SupportBackendProvider,
  ) {}

  async list(query: PriorityQueryDto, paginator: Paginator, urls: ApiUrls): Promise<PriorityResponse[]> {
    const builder = this.activeQuery(this.backends.current());
    if (query.name) builder.andWhere('priority.name ILIKE :name', { name: containsPattern(query.name) });
    if (query.name_exact) builder.andWhere('priority.name = :nameExact', { nameExact: query.name_exact });
    applyOrdering(builder, query.o, { name: 'priority.name' }, ['name']);
    const rows = await paginator.paginate(builder);
    return rows.map((row) => toPriorityResponse(row, urls));
  }

  async retrieve(uuid: string, urls: ApiUrls): Promise<PriorityResponse> {
    return toPriorityResponse(await this.findOrFail(this.backends.current(), uuid), urls);
  }

  async create(user: User, body: PriorityCreateDto, urls: ApiUrls): Promise<PriorityResponse> {
    assertStaff(user);
    const backend = this.managingBackend();
    await this.assertNameFree(backend, body.name);
    const priority = this.dataSource.getRepository(Priority).create({
      name: body.name,
      description: body.description ?? '',
      iconUrl: body.icon_url ?? '',
      backendName: backend.name,
    });
    return toPriorityResponse(await this.dataSource.getRepository(Priority).save(priority), urls);
  }

  async update(user: User, uuid: string, body: PriorityPatchDto, urls: ApiUrls): Promise<PriorityResponse> {
    assertStaff(user);
    const backend = this.managingBackend();
    const priority = await this.findOrFail(backend, uuid);
    if (body.name !== undefined && body.name !== priority.name) await this.assertNameFree(backend, body.name);
    if (body.name !== undefined) priority.name = body.name;
    if (body.description !== undefined) priority.description = body.description;
    if (body.icon_url !== undefined) priority.iconUrl = body.icon_url;
    return toPriorityResponse(await this.dataSource.getRepository(Priority).save(priority), urls);
  }

  async destroy(user: User, uuid: string): Promise<void> {
    assertStaff(user);
    const backend = this.managingBackend();
    const priority = await this.findOrFail(backend, uuid);
    await this.dataSource.getRepository(Priority).remove(priority);
  }

  /** Checks whether a priority named `name` exists for `backend`. Issues store the name, not a link. */
  async exists(backend: SupportBackend, name: string): Promise<boolean> {
    return (await this.activeQuery(backend).andWhere('priority.name = :name', { name }).getCount()) > 0;
  }

  private activeQuery(backend: SupportBackend): SelectQueryBuilder<Priority> {
    return this.dataSource
      .getRepository(Priority)
      .createQueryBuilder('priority')
      .where(
        new Brackets((where) =>
          where.where('priority.backendName = :backendName', { backendName: backend.name }).orWhere('priority.backendName IS NULL'),
        ),
      );
  }

  /** Returns the active backend if it lets staff manage priorities through the API, else throws 409. */
  private managingBackend(): SupportBackend {
    const backend = this.backends.current();
    if (!backend.priorityManagementIsAvailable) {
      throw new ConflictException(`Priorities are pulled from the ${backend.name} support backend and cannot be changed here.`);
    }
    return backend;
  }

  private async findOrFail(backend: SupportBackend, uuid: string): Promise<Priority> {
    const priority = await this.activeQuery(backend).andWhere('priority.uuid = :uuid', { uuid }).getOne();
    if (!priority) throw new NotFoundException();
    return priority;
  }

  private async assertNameFree(backend: SupportBackend, name: string): Promise<void> {
    if (await this.exists(backend, name)) throw ValidationFailedException.field('name', DUPLICATE_NAME);
  }
}

export function toPriorityResponse(priority: Priority, urls: ApiUrls): PriorityResponse {
  return {
    url: urls.detail('support-priorities', priority.uuid),
    uuid: formatUuid(priority.uuid),
    name: priority.name,
    description: priority.description,
    icon_url: priority.iconUrl,
  };
}
