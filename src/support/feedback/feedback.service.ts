import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, SelectQueryBuilder } from 'typeorm';

import { NotFoundException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import { applyOrdering } from '../../common/http/ordering';
import { Paginator } from '../../common/http/pagination';
import { parseUuid } from '../../common/http/uuid';
import type { User } from '../../identity/users/user.entity';
import { BackendWrites, PendingPushes } from '../backends/backend-writes.service';
import { SupportBackend } from '../backends/support-backend';
import { ensureStaffOrSupport } from '../common/staff-only';
import { SyncState } from '../common/sync-state';
import { Issue } from '../issues/issue.entity';
import { FeedbackCreateDto } from './dto/feedback-create.dto';
import { FeedbackListQueryDto } from './dto/feedback-list-query.dto';
import { CreatedFeedbackDto, FeedbackDto } from './dto/feedback.dto';
import { applyFeedbackFilters } from './feedback-filters';
import { FeedbackTokenError } from './feedback-token';
import { FeedbackTokenService } from './feedback-token.service';
import { Feedback } from './feedback.entity';
import { toCreatedFeedbackDto, toFeedbackDto } from './feedback.mapper';

const FEEDBACK_ORDERING = {
  created: 'feedback.created',
  evaluation: 'feedback.evaluation',
  user_full_name: 'caller.fullName',
};

const UNIQUE_VIOLATION = '23505';
const FEEDBACK_EXISTS = 'Feedback for this issue already exists.';

/** Feedback on resolved issues: submitted with a signed token, read by staff and support. */
@Injectable()
export class FeedbackService {
  private readonly logger = new Logger(FeedbackService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: FeedbackTokenService,
    private readonly backend: SupportBackend,
    private readonly writes: BackendWrites,
  ) {}

  /**
   * Stores the feedback the token's issue receives, then hands it to the backend. Anyone
   * holding the token may submit, once per issue. A backend failure leaves the feedback
   * stored in state ERRED and still returns 201.
   */
  async create(body: FeedbackCreateDto, urls: ApiUrls): Promise<CreatedFeedbackDto> {
    const issueUuid = this.issueUuidOf(body.token);
    const issue = await this.dataSource.getRepository(Issue).findOneBy({ uuid: issueUuid });
    if (!issue) throw ValidationFailedException.nonField('The issue of this feedback link was not found.');
    if (await this.dataSource.getRepository(Feedback).existsBy({ issueId: issue.id })) {
      throw ValidationFailedException.nonField(FEEDBACK_EXISTS);
    }

    const feedback = await this.insert(issue, body);
    await this.pushToBackend(feedback, issue);
    return toCreatedFeedbackDto(feedback, issue, urls);
  }

  async list(user: User, query: FeedbackListQueryDto, paginator: Paginator): Promise<FeedbackDto[]> {
    ensureStaffOrSupport(user);
    const builder = this.withIssueAndCaller();
    applyFeedbackFilters(builder, query);
    applyOrdering(builder, query.o, FEEDBACK_ORDERING, ['created']);
    return (await paginator.paginate(builder)).map(toFeedbackDto);
  }

  async retrieve(user: User, rawUuid: string): Promise<FeedbackDto> {
    ensureStaffOrSupport(user);
    const uuid = parseUuid(rawUuid);
    if (!uuid) throw new NotFoundException();
    const feedback = await this.withIssueAndCaller().where('feedback.uuid = :uuid', { uuid }).getOne();
    if (!feedback) throw new NotFoundException();
    return toFeedbackDto(feedback);
  }

  private issueUuidOf(token: string): string {
    try {
      return this.tokens.verify(token);
    } catch (error) {
      if (error instanceof FeedbackTokenError) throw ValidationFailedException.field('token', error.message);
      throw error;
    }
  }

  private async insert(issue: Issue, body: FeedbackCreateDto): Promise<Feedback> {
    const repository = this.dataSource.getRepository(Feedback);
    try {
      return await repository.save(
        repository.create({ issueId: issue.id, evaluation: body.evaluation, comment: body.comment ?? '', state: SyncState.CREATION_SCHEDULED }),
      );
    } catch (error) {
      // A second submission that raced past the existence check hits the unique index.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        throw ValidationFailedException.nonField(FEEDBACK_EXISTS);
      }
      throw error;
    }
  }

  /** A remote backend gets the feedback through the outbox; a local failure marks it ERRED. */
  private async pushToBackend(feedback: Feedback, issue: Issue): Promise<void> {
    try {
      if (issue.backendName && issue.backendName !== this.backend.name) {
        throw new Error(`The issue is kept in the ${issue.backendName} backend, but the active backend is ${this.backend.name}`);
      }
      const pending = new PendingPushes();
      await this.dataSource.transaction(async (manager) => {
        await this.writes.feedbackCreated(manager, this.backend, issue, feedback, pending);
        if (pending.isEmpty) await manager.update(Feedback, { id: feedback.id }, { state: SyncState.OK });
      });
      if (pending.isEmpty) feedback.state = SyncState.OK;
      await this.writes.afterCommit(pending);
    } catch (error) {
      this.logger.warn({ err: error, feedback: feedback.uuid, issue: issue.uuid }, 'Handing feedback to the backend failed; it stays stored as ERRED');
      await this.dataSource.getRepository(Feedback).update({ id: feedback.id }, { state: SyncState.ERRED });
      feedback.state = SyncState.ERRED;
    }
  }

  private withIssueAndCaller(): SelectQueryBuilder<Feedback> {
    return this.dataSource
      .getRepository(Feedback)
      .createQueryBuilder('feedback')
      .innerJoinAndSelect('feedback.issue', 'issue')
      .leftJoinAndSelect('issue.caller', 'caller');
  }
}
