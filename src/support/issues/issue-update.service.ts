import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import type { User } from '../../identity/users/user.entity';
import { SettingsService } from '../../settings/settings.service';
import { SupportBackend } from '../backends/support-backend';
import { BackendWrites, PendingPushes } from '../backends/backend-writes.service';
import { SupportBackendProvider } from '../backends/support-backend.provider';
import { FieldErrorCollector } from '../common/field-error-collector';
import { findByHyperlink } from '../common/hyperlinks';
import { assertStaffOrSupport } from '../common/support-roles';
import { isFeedbackEnabled } from '../common/support-settings';
import { IssueStatusType } from '../statuses/issue-status.entity';
import { IssueStatusesService } from '../statuses/issue-statuses.service';
import { SupportUser } from '../support-users/support-user.entity';
import { IssuePatchDto } from './dto/issue-update.dto';
import { IssueRepresentationService } from './issue-representation.service';
import { statusChangeFields } from './issue-status-change';
import { Issue } from './issue.entity';
import { IssueResponse } from './issue.mapper';
import { IssuesRepository } from './issues.repository';

/**
 * Staff and support edit summary, description and assignee. On a backend that keeps its
 * workflow locally they also move the status and set the resolution.
 */
@Injectable()
export class IssueUpdateService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
    private readonly backends: SupportBackendProvider,
    private readonly issues: IssuesRepository,
    private readonly statuses: IssueStatusesService,
    private readonly representation: IssueRepresentationService,
    private readonly writes: BackendWrites,
  ) {}

  async update(viewer: User, uuid: string, body: IssuePatchDto, urls: ApiUrls): Promise<IssueResponse> {
    const issue = await this.issues.findVisible(viewer, uuid);
    assertStaffOrSupport(viewer);
    const backend = this.backends.forIssue(issue);
    if (!backend.updateIsAvailable(issue)) throw ValidationFailedException.nonField('Updating this issue is not available.');

    const statusTypes = await this.statuses.typesByName();
    await this.applyChanges(issue, body, backend, statusTypes);
    const pending = new PendingPushes();
    await this.dataSource.transaction(async (manager) => {
      await manager.save(issue);
      await this.writes.issueUpdated(manager, backend, issue, pending);
    });
    await this.writes.afterCommit(pending);
    const updated = await this.issues.findByIdWithRelations(issue.id);
    return this.representation.renderOne(updated, viewer, urls, backend);
  }

  private async applyChanges(
    issue: Issue,
    body: IssuePatchDto,
    backend: SupportBackend,
    statusTypes: ReadonlyMap<string, IssueStatusType>,
  ): Promise<void> {
    const errors = new FieldErrorCollector();
    if (body.summary !== undefined) {
      const summary = body.summary.trim();
      if (!summary) errors.add('summary', 'This field may not be blank.');
      else if (summary.length > backend.summaryMaxLength) {
        errors.add('summary', `Ensure this field has no more than ${backend.summaryMaxLength} characters.`);
      }
      issue.summary = summary;
    }
    if (body.description !== undefined) issue.description = body.description;
    if (body.assignee !== undefined) {
      const assignee = body.assignee === null ? null : await errors.run(() => this.resolveAssignee(body.assignee, issue));
      issue.assigneeId = assignee?.id ?? null;
      issue.assignee = assignee ?? null;
    }
    if (backend.statusUpdateIsAvailable) {
      if (body.status !== undefined && !statusTypes.has(body.status)) {
        errors.add('status', `"${body.status}" is not a valid choice. Use the name of an issue status.`);
      }
      if (body.resolution !== undefined) issue.resolution = body.resolution;
    }
    errors.throwIfAny();

    if (backend.statusUpdateIsAvailable && body.status !== undefined) this.changeStatus(issue, body.status, statusTypes);
  }

  /** Moves the issue to `status`, stamping or clearing the resolution and feedback dates. */
  private changeStatus(issue: Issue, status: string, statusTypes: ReadonlyMap<string, IssueStatusType>): void {
    Object.assign(issue, statusChangeFields(issue, status, statusTypes, { feedbackEnabled: isFeedbackEnabled(this.settings) }));
  }

  private async resolveAssignee(link: unknown, issue: Issue): Promise<SupportUser> {
    const assignee = await findByHyperlink(this.dataSource.manager, SupportUser, link, 'support-users', 'assignee');
    if (issue.backendName && assignee.backendName && assignee.backendName !== issue.backendName) {
      throw ValidationFailedException.field('assignee', `This account belongs to the ${assignee.backendName} backend, not to ${issue.backendName}.`);
    }
    return assignee;
  }
}
