import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AppException, FailedDependencyException, NotFoundException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import { Paginator } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { BackendWrites, PendingPushes } from '../backends/backend-writes.service';
import { SupportBackendProvider } from '../backends/support-backend.provider';
import { assertStaffOrSupport } from '../common/support-roles';
import { IssueQueryDto } from './dto/issue-query.dto';
import { IssueRepresentationService } from './issue-representation.service';
import { Issue } from './issue.entity';
import { IssueResponse } from './issue.mapper';
import { IssuesRepository } from './issues.repository';

/**
 * Reading, deleting and syncing issues; creation and updates have services of their own.
 * Deleting and syncing are for staff and support, checked before the lookup, so everyone
 * else gets 403 whether or not they can see the issue.
 */
@Injectable()
export class IssuesService {
  private readonly logger = new Logger(IssuesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly issues: IssuesRepository,
    private readonly backends: SupportBackendProvider,
    private readonly representation: IssueRepresentationService,
    private readonly writes: BackendWrites,
  ) {}

  async list(viewer: User, query: IssueQueryDto, paginator: Paginator, urls: ApiUrls): Promise<IssueResponse[]> {
    const rows = await paginator.paginate(this.issues.search(viewer, query));
    return this.representation.render(rows, viewer, urls, this.backends.current());
  }

  async retrieve(viewer: User, uuid: string, urls: ApiUrls): Promise<IssueResponse> {
    const issue = await this.issues.findVisible(viewer, uuid);
    return this.representation.renderOne(issue, viewer, urls, this.backends.current());
  }

  async destroy(viewer: User, uuid: string): Promise<void> {
    assertStaffOrSupport(viewer);
    const issue = await this.issues.findVisible(viewer, uuid);
    const backend = this.backends.forIssue(issue);
    if (!backend.destroyIsAvailable(issue)) throw ValidationFailedException.nonField('Deleting this issue is not available.');

    const pending = new PendingPushes();
    await this.dataSource.transaction(async (manager) => {
      await this.writes.issueDeleted(manager, backend, issue, pending);
      await manager.delete(Issue, { id: issue.id });
    });
    await this.writes.afterCommit(pending);
    this.logger.log(`Issue ${issue.key || issue.uuid} deleted by user ${viewer.uuid}`);
  }

  /**
   * Pulls the issue from its backend. Only the backend holds the data, so an unexpected
   * backend failure is a 424 carrying its message rather than a 500.
   */
  async sync(viewer: User, uuid: string): Promise<void> {
    assertStaffOrSupport(viewer);
    const issue = await this.issues.findVisible(viewer, uuid);
    const backend = this.backends.forIssue(issue);
    try {
      await this.dataSource.transaction((manager) => backend.syncIssue(issue, manager));
    } catch (error) {
      if (error instanceof AppException) throw error;
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ err: error, issue: issue.uuid, backend: backend.name }, 'Issue sync failed');
      throw new FailedDependencyException(`Syncing the issue with the ${backend.name} backend failed: ${message}`);
    }
    // A backend that finds its copy of the issue deleted deletes ours too.
    if (!(await this.dataSource.getRepository(Issue).existsBy({ id: issue.id }))) {
      throw new NotFoundException(`The ${backend.name} backend no longer has this issue, so it was deleted here too.`);
    }
  }
}
