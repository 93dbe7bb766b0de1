import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { User } from '../../identity/users/user.entity';
import { ensureStaffOrSupport } from '../common/staff-only';
import { Feedback } from '../feedback/feedback.entity';
import { Issue } from '../issues/issue.entity';
import { restrictToVisibleIssues } from '../issues/issue-visibility';
import { IssueStatusType } from '../statuses/issue-status.entity';
import { SupportStatsDto } from './dto/support-stats.dto';

/** SQL condition: the issue's status is one whose type ends an issue (RESOLVED or CANCELED). */
const ENDED_STATUS = `EXISTS (
  SELECT 1 FROM issue_statuses ended_status
   WHERE ended_status.name = issue.status AND ended_status.type IN (${IssueStatusType.RESOLVED}, ${IssueStatusType.CANCELED}))`;

/** Feedback reports for staff and support, and the issue statistics of the support dashboard. */
@Injectable()
export class ReportsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Counts feedbacks per evaluation, e.g. `{"6": 1, "10": 2}`; evaluations without feedback are left out. */
  async feedbackCounts(user: User): Promise<Record<string, number>> {
    ensureStaffOrSupport(user);
    const rows = await this.dataSource
      .getRepository(Feedback)
      .createQueryBuilder('feedback')
      .select('feedback.evaluation', 'evaluation')
      .addSelect('COUNT(*)', 'count')
      .groupBy('feedback.evaluation')
      .orderBy('feedback.evaluation', 'ASC')
      .getRawMany<{ evaluation: number | string; count: number | string }>();
    return Object.fromEntries(rows.map((row) => [String(row.evaluation), Number(row.count)]));
  }

  /** Returns the average evaluation rounded to 2 decimals, or null without feedback. */
  async feedbackAverage(user: User): Promise<number | null> {
    ensureStaffOrSupport(user);
    const row = await this.dataSource
      .getRepository(Feedback)
      .createQueryBuilder('feedback')
      .select('ROUND(AVG(feedback.evaluation)::numeric, 2)', 'average')
      .getRawOne<{ average: string | null }>();
    return row?.average === null || row?.average === undefined ? null : Number(row.average);
  }

  /**
   * Counts the issues `user` can see (the issue list's rule). "This month" is the current
   * calendar month in UTC, year included.
   */
  async statistics(user: User, now: Date = new Date()): Promise<SupportStatsDto> {
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const nextMonthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));

    const query = this.dataSource
      .getRepository(Issue)
      .createQueryBuilder('issue')
      .select(`COUNT(*) FILTER (WHERE NOT ${ENDED_STATUS})`, 'open')
      .addSelect(
        `COUNT(*) FILTER (WHERE ${ENDED_STATUS} AND issue.resolutionDate >= :monthStart AND issue.resolutionDate < :nextMonthStart)`,
        'closed',
      )
      .setParameters({ monthStart, nextMonthStart });
    const row = await restrictToVisibleIssues(query, 'issue', user).getRawOne<{ open: string; closed: string }>();

    return {
      open_issues_count: Number(row?.open ?? 0),
      closed_this_month_count: Number(row?.closed ?? 0),
      // Broadcast messages belong to Waldur's notifications, which this service does not have.
      recent_broadcasts_count: 0,
    };
  }
}
