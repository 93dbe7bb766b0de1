import { randomBytes } from 'node:crypto';

import { DataSource, DeepPartial } from 'typeorm';

import { Feedback } from '../../src/support/feedback/feedback.entity';
import { Issue } from '../../src/support/issues/issue.entity';

/** Inserts an issue of the built-in desk straight into the database. */
export async function createIssue(dataSource: DataSource, fields: DeepPartial<Issue> = {}): Promise<Issue> {
  const suffix = randomBytes(3).toString('hex');
  return dataSource.getRepository(Issue).save({
    type: 'Informational',
    summary: `Issue ${suffix}`,
    key: `SUP-${suffix}`,
    status: 'Open',
    backendName: 'basic',
    ...fields,
  });
}

export async function createFeedbackRow(dataSource: DataSource, issue: Issue, fields: DeepPartial<Feedback> = {}): Promise<Feedback> {
  return dataSource.getRepository(Feedback).save({ issueId: issue.id, evaluation: 5, comment: '', ...fields });
}
