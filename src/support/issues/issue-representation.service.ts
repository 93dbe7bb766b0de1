import { Injectable } from '@nestjs/common';

import { ApiUrls } from '../../common/http/api-urls';
import type { User } from '../../identity/users/user.entity';
import type { SupportBackend } from '../backends/support-backend';
import { IssueStatusesService } from '../statuses/issue-statuses.service';
import type { Issue } from './issue.entity';
import { IssueResponse, toIssueResponse } from './issue.mapper';

/** Renders issues for one viewer, loading the issue-status table once per call. */
@Injectable()
export class IssueRepresentationService {
  constructor(private readonly statuses: IssueStatusesService) {}

  async render(issues: Issue[], viewer: User, urls: ApiUrls, backend: SupportBackend): Promise<IssueResponse[]> {
    if (issues.length === 0) return [];
    const statusTypes = await this.statuses.typesByName();
    return issues.map((issue) => toIssueResponse(issue, { urls, viewer, statusTypes, backend }));
  }

  async renderOne(issue: Issue, viewer: User, urls: ApiUrls, backend: SupportBackend): Promise<IssueResponse> {
    const [response] = await this.render([issue], viewer, urls, backend);
    return response;
  }
}
