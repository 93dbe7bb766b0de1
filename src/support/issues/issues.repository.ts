import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';

import { NotFoundException, ValidationFailedException } from '../../common/errors/app.exception';
import { applyOrdering } from '../../common/http/ordering';
import type { User } from '../../identity/users/user.entity';
import { requireHyperlinkUuid, requireUuid } from '../common/hyperlinks';
import { containsPattern } from '../common/like-pattern';
import { IssueQueryDto } from './dto/issue-query.dto';
import { IssueAccessService } from './issue-access.service';
import { Issue } from './issue.entity';

/**
 * Orders keys by their first run of digits (SUP-2 before SUP-11), 0 when there is none.
 * `numeric` rather than `bigint`, so an absurdly long number cannot overflow the cast.
 */
const KEY_NUMBER = `COALESCE(CAST(SUBSTRING(issue.key FROM '[0-9]+') AS numeric), 0)`;

/** `o=` keys of Waldur's IssueOEnum, plus `caller_full_name`, which HomePort sends. */
const ISSUE_ORDERING = {
  created: 'issue.created',
  modified: 'issue.modified',
  type: 'issue.type',
  status: 'issue.status',
  priority: 'issue.priority',
  summary: 'issue.summary',
  customer_name: 'customer.name',
  project_name: 'project.name',
  caller_first_name: 'caller.firstName',
  caller_last_name: 'caller.lastName',
  caller_full_name: 'caller.fullName',
  reporter_name: 'reporter.name',
  assignee_name: 'assignee.name',
  remote_id: 'issue.remoteId',
  key: KEY_NUMBER,
};

const YEAR_MONTH = /^(\d{4})-(\d{1,2})$/;

/** Named queries over issues: visibility, the list filters and ordering. */
@Injectable()
export class IssuesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: IssueAccessService,
  ) {}

  /** Issues `viewer` may see, with every to-one relation the representation shows. */
  visibleTo(viewer: User, manager: EntityManager = this.dataSource.manager): SelectQueryBuilder<Issue> {
    return this.access.restrictToVisible(this.withRelations(manager), viewer);
  }

  /** Loads the issue if `viewer` may see it. Otherwise it throws 404, so invisible issues do not leak. */
  async findVisible(viewer: User, uuid: string, manager: EntityManager = this.dataSource.manager): Promise<Issue> {
    const issue = await this.visibleTo(viewer, manager).andWhere('issue.uuid = :uuid', { uuid }).getOne();
    if (!issue) throw new NotFoundException();
    return issue;
  }

  /** Loads the issue with its relations and no visibility check, to re-read an issue the caller just wrote. */
  async findByIdWithRelations(id: number, manager: EntityManager = this.dataSource.manager): Promise<Issue> {
    const issue = await this.withRelations(manager).where('issue.id = :id', { id }).getOne();
    if (!issue) throw new NotFoundException();
    return issue;
  }

  search(viewer: User, query: IssueQueryDto): SelectQueryBuilder<Issue> {
    const builder = this.visibleTo(viewer);
    this.applyFilters(builder, query);
    return applyOrdering(builder, query.o, ISSUE_ORDERING, ['-created']);
  }

  private withRelations(manager: EntityManager): SelectQueryBuilder<Issue> {
    return manager
      .getRepository(Issue)
      .createQueryBuilder('issue')
      .leftJoinAndSelect('issue.caller', 'caller')
      .leftJoinAndSelect('issue.reporter', 'reporter')
      .leftJoinAndSelect('issue.assignee', 'assignee')
      .leftJoinAndSelect('issue.customer', 'customer')
      .leftJoinAndSelect('issue.project', 'project')
      .leftJoinAndSelect('issue.resource', 'resource')
      .leftJoinAndSelect('issue.template', 'template')
      .leftJoinAndSelect('issue.feedback', 'feedback');
  }

  private applyFilters(builder: SelectQueryBuilder<Issue>, query: IssueQueryDto): void {
    if (query.summary) builder.andWhere('issue.summary ILIKE :summary', { summary: containsPattern(query.summary) });
    if (query.query) {
      builder.andWhere(
        new Brackets((where) =>
          where.where('issue.summary ILIKE :search', { search: containsPattern(query.query!) }).orWhere('issue.key ILIKE :search'),
        ),
      );
    }

    const exactUuids: Array<[string | undefined, string, string]> = [
      [query.customer && requireHyperlinkUuid(query.customer, 'customers', 'customer'), 'customer.uuid', 'customerLink'],
      [query.customer_uuid && requireUuid(query.customer_uuid, 'customer_uuid'), 'customer.uuid', 'customerUuid'],
      [query.project && requireHyperlinkUuid(query.project, 'projects', 'project'), 'project.uuid', 'projectLink'],
      [query.project_uuid && requireUuid(query.project_uuid, 'project_uuid'), 'project.uuid', 'projectUuid'],
      [query.reporter && requireHyperlinkUuid(query.reporter, 'support-users', 'reporter'), 'reporter.uuid', 'reporterLink'],
      [query.caller && requireHyperlinkUuid(query.caller, 'users', 'caller'), 'caller.uuid', 'callerLink'],
      [query.assignee && requireHyperlinkUuid(query.assignee, 'support-users', 'assignee'), 'assignee.uuid', 'assigneeLink'],
      [query.resource && requireHyperlinkUuid(query.resource, 'marketplace-resources', 'resource'), 'resource.uuid', 'resourceLink'],
      [query.resource_uuid && requireUuid(query.resource_uuid, 'resource_uuid'), 'resource.uuid', 'resourceUuid'],
    ];
    for (const [uuid, column, parameter] of exactUuids) {
      if (uuid) builder.andWhere(`${column} = :${parameter}`, { [parameter]: uuid });
    }

    const contains: Array<[string | undefined, string, string]> = [
      [query.reporter_name, 'reporter.name', 'reporterName'],
      [query.caller_full_name, 'caller.fullName', 'callerFullName'],
      [query.assignee_name, 'assignee.name', 'assigneeName'],
      [query.remote_id, 'issue.remoteId', 'remoteId'],
    ];
    for (const [value, column, parameter] of contains) {
      if (value) builder.andWhere(`${column} ILIKE :${parameter}`, { [parameter]: containsPattern(value) });
    }

    if (query.resource_internal_ip) {
      builder.andWhere('resource.internalIps @> jsonb_build_array(CAST(:internalIp AS text))', { internalIp: query.resource_internal_ip });
    }
    if (query.resource_external_ip) {
      builder.andWhere('resource.externalIps @> jsonb_build_array(CAST(:externalIp AS text))', { externalIp: query.resource_external_ip });
    }
    if (query.key) builder.andWhere('issue.key = :key', { key: query.key });
    if (query.type) builder.andWhere('issue.type = :type', { type: query.type });
    if (query.status?.length) builder.andWhere('issue.status IN (:...statuses)', { statuses: query.status });
    if (query.resolution_year_month) {
      const [start, end] = monthBounds(query.resolution_year_month);
      builder.andWhere('issue.resolutionDate >= :resolvedFrom AND issue.resolutionDate < :resolvedUntil', {
        resolvedFrom: start,
        resolvedUntil: end,
      });
    }
  }
}

/** Returns the first instant of a `YYYY-MM` month and of the month after it, in UTC. */
function monthBounds(value: string): [Date, Date] {
  const match = YEAR_MONTH.exec(value.trim());
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12) {
    throw ValidationFailedException.field('resolution_year_month', 'Enter the year and month as YYYY-MM, for example 2024-05.');
  }
  const year = Number(match[1]);
  return [new Date(Date.UTC(year, month - 1, 1)), new Date(Date.UTC(year, month, 1))];
}
