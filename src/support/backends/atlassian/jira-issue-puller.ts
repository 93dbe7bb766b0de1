import type { AtlassianSettings } from './atlassian.config';
import { formatJqlLowerBound, parseJiraDateTime } from './jira-dates';
import { JiraReferenceData } from './jira-reference-data';
import { JiraClient } from './jira.client';

/** An issue a search found changed. */
export interface ChangedJiraIssue {
  /** Jira's numeric issue id, our `backend_id`. */
  remoteId: string;
  key: string;
  updated: Date | null;
}

export interface ChangedJiraIssuePage {
  issues: ChangedJiraIssue[];
  /** Latest `updated` in the page, or null when the page is empty. */
  newWatermark: Date | null;
  nextCursor?: string;
}

const PAGE_SIZE = 50;

/**
 * Finds the project's issues changed since a watermark with JQL `updated >=`, oldest
 * change first, through the search API the settings choose. JQL date literals have
 * minute precision and a time zone that depends on the installation, so the literal
 * errs early (`formatJqlLowerBound`) after the overlap is subtracted: re-reading a few
 * issues is harmless, because applying an issue is idempotent.
 */
export class JiraIssuePuller {
  constructor(
    private readonly client: JiraClient,
    private readonly reference: JiraReferenceData,
    private readonly settings: Pick<AtlassianSettings, 'searchApi' | 'useOldApi' | 'projectId'>,
  ) {}

  async changedSince(since: Date | null, overlapMs: number, cursor?: string): Promise<ChangedJiraIssuePage> {
    const jql = await this.jql(since, overlapMs);
    const page = await this.client.search(this.settings.searchApi, { jql, fields: ['updated'], pageSize: PAGE_SIZE, cursor });
    const issues = page.issues.map((issue) => ({ remoteId: String(issue.id), key: issue.key, updated: parseJiraDateTime(issue.fields?.updated) }));
    const times = issues.map((issue) => issue.updated?.getTime()).filter((time): time is number => time !== undefined);
    return {
      issues,
      newWatermark: times.length > 0 ? new Date(Math.max(...times)) : null,
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  /** Builds the JQL of a pull, e.g. `project = "SUP" AND updated >= "2024-01-31 10:15" ORDER BY updated ASC`. */
  async jql(since: Date | null, overlapMs: number): Promise<string> {
    const projectKey = this.settings.useOldApi ? this.settings.projectId : await this.reference.projectKey();
    const project = `project = "${projectKey.replace(/"/g, '\\"')}"`;
    if (!since) return `${project} ORDER BY updated ASC`;
    const timeZone = (await this.client.myself()).timeZone ?? 'UTC';
    const from = formatJqlLowerBound(new Date(since.getTime() - overlapMs), timeZone);
    return `${project} AND updated >= "${from}" ORDER BY updated ASC`;
  }
}
