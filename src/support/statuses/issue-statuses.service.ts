import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { NotFoundException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import { Paginator } from '../../common/http/pagination';
import { formatUuid } from '../../common/http/uuid';
import type { User } from '../../identity/users/user.entity';
import { isUniqueViolation } from '../common/database-errors';
import { assertStaff } from '../common/support-roles';
import { IssueStatusCreateDto, IssueStatusPatchDto } from './dto/issue-status.dto';
import { ISSUE_STATUS_TYPE_DISPLAY, IssueStatus, IssueStatusType } from './issue-status.entity';

export interface IssueStatusResponse {
  url: string;
  uuid: string;
  name: string;
  type: IssueStatusType;
  type_display: string;
}

const DUPLICATE_NAME = 'Issue status with this name already exists.';

/** The status table: how each backend status name counts (resolved, canceled or active). */
@Injectable()
export class IssueStatusesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(paginator: Paginator, urls: ApiUrls): Promise<IssueStatusResponse[]> {
    const query = this.dataSource.getRepository(IssueStatus).createQueryBuilder('status').orderBy('status.id', 'ASC');
    const rows = await paginator.paginate(query);
    return rows.map((row) => toIssueStatusResponse(row, urls));
  }

  async retrieve(uuid: string, urls: ApiUrls): Promise<IssueStatusResponse> {
    return toIssueStatusResponse(await this.findOrFail(uuid), urls);
  }

  async create(user: User, body: IssueStatusCreateDto, urls: ApiUrls): Promise<IssueStatusResponse> {
    assertStaff(user);
    const repository = this.dataSource.getRepository(IssueStatus);
    await this.assertNameFree(body.name);
    const status = repository.create({ name: body.name, type: body.type ?? IssueStatusType.RESOLVED });
    return toIssueStatusResponse(await this.save(status), urls);
  }

  async update(user: User, uuid: string, body: IssueStatusPatchDto, urls: ApiUrls): Promise<IssueStatusResponse> {
    assertStaff(user);
    const status = await this.findOrFail(uuid);
    if (body.name !== undefined && body.name !== status.name) await this.assertNameFree(body.name);
    if (body.name !== undefined) status.name = body.name;
    if (body.type !== undefined) status.type = body.type;
    return toIssueStatusResponse(await this.save(status), urls);
  }

  async destroy(user: User, uuid: string): Promise<void> {
    assertStaff(user);
    const status = await this.findOrFail(uuid);
    await this.dataSource.getRepository(IssueStatus).remove(status);
  }

  /** Every status name with its type, for deciding `resolved` and status changes. */
  async typesByName(manager: EntityManager = this.dataSource.manager): Promise<Map<string, IssueStatusType>> {
    const rows = await manager.getRepository(IssueStatus).find({ select: { name: true, type: true } });
    return new Map(rows.map((row) => [row.name, row.type]));
  }

  private async findOrFail(uuid: string): Promise<IssueStatus> {
    const status = await this.dataSource.getRepository(IssueStatus).findOneBy({ uuid });
    if (!status) throw new NotFoundException();
    return status;
  }

  private async assertNameFree(name: string): Promise<void> {
    const taken = await this.dataSource.getRepository(IssueStatus).existsBy({ name });
    if (taken) throw ValidationFailedException.field('name', DUPLICATE_NAME);
  }

  /** Saves, turning a concurrent insert of the same name into the same 400 as the pre-check. */
  private async save(status: IssueStatus): Promise<IssueStatus> {
    try {
      return await this.dataSource.getRepository(IssueStatus).save(status);
    } catch (error) {
      if (isUniqueViolation(error, 'issue_statuses_name_key')) throw ValidationFailedException.field('name', DUPLICATE_NAME);
      throw error;
    }
  }
}

export function toIssueStatusResponse(status: IssueStatus, urls: ApiUrls): IssueStatusResponse {
  return {
    url: urls.detail('support-issue-statuses', status.uuid),
    uuid: formatUuid(status.uuid),
    name: status.name,
    type: status.type,
    type_display: ISSUE_STATUS_TYPE_DISPLAY[status.type] ?? String(status.type),
  };
}
