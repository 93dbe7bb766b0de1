import { DataSource, DeepPartial } from 'typeorm';

import type { User } from '../../src/identity/users/user.entity';
import { settingDefaults, SettingsValues } from '../../src/settings/settings.registry';
import { AtlassianBackend } from '../../src/support/backends/atlassian/atlassian.backend';
import { atlassianAuth, AtlassianSettings, atlassianSettingsFrom } from '../../src/support/backends/atlassian/atlassian.config';
import { JiraClient } from '../../src/support/backends/atlassian/jira.client';
import { Issue } from '../../src/support/issues/issue.entity';
import { IssueStatus, IssueStatusType } from '../../src/support/statuses/issue-status.entity';
import { INTEGRATION_EMAIL, INTEGRATION_TOKEN, type FakeJira } from '../fakes/jira';
import { InMemoryAttachmentStore } from './in-memory-attachment-store';

/** Settings that point the adapter at the fake with the integration user and every mapped field the fake has. */
export function jiraTestSettingValues(fake: FakeJira, overrides: Partial<SettingsValues> = {}): SettingsValues {
  return {
    ...settingDefaults(),
    ATLASSIAN_API_URL: fake.url,
    ATLASSIAN_EMAIL: INTEGRATION_EMAIL,
    ATLASSIAN_TOKEN: INTEGRATION_TOKEN,
    ATLASSIAN_PROJECT_ID: 'SUP',
    ATLASSIAN_ORGANISATION_FIELD: 'Reporter organization',
    ATLASSIAN_PROJECT_FIELD: 'Project',
    ATLASSIAN_AFFECTED_RESOURCE_FIELD: 'Affected resource',
    ATLASSIAN_TEMPLATE_FIELD: 'Template',
    ATLASSIAN_SEARCH_API: fake.settings.flavour === 'cloud' ? 'jql' : 'legacy',
    ...overrides,
  };
}

export function jiraTestSettings(fake: FakeJira, overrides: Partial<SettingsValues> = {}): AtlassianSettings {
  return atlassianSettingsFrom(jiraTestSettingValues(fake, overrides));
}

/** Builds a client for the fake with short timeouts and retry waits, so fault specs run fast. */
export function jiraTestClient(settings: AtlassianSettings, options: { timeoutMs?: number; sleeps?: number[] } = {}): JiraClient {
  return new JiraClient({
    baseUrl: settings.apiUrl,
    auth: atlassianAuth(settings),
    verifySsl: settings.verifySsl,
    timeoutMs: options.timeoutMs ?? 2_000,
    maxRetryWaitMs: 2_000,
    backoffBaseMs: 5,
    sleep: async (ms) => {
      options.sleeps?.push(ms);
      await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20)));
    },
  });
}

export interface JiraBackendUnderTest {
  backend: AtlassianBackend;
  client: JiraClient;
  store: InMemoryAttachmentStore;
  settings: AtlassianSettings;
}

/** Builds a Jira adapter on the fake with short timeouts and an in-memory attachment store. */
export function createJiraBackend(
  fake: FakeJira,
  dataSource: DataSource,
  options: { settings?: Partial<SettingsValues>; feedbackEnabled?: boolean; timeoutMs?: number } = {},
): JiraBackendUnderTest {
  const settings = jiraTestSettings(fake, options.settings);
  const client = jiraTestClient(settings, { timeoutMs: options.timeoutMs });
  const store = new InMemoryAttachmentStore();
  const backend = new AtlassianBackend(settings, { dataSource, store, client, feedbackEnabled: () => options.feedbackEnabled ?? false });
  return { backend, client, store, settings };
}

/** Inserts an issue filed by `caller` in the atlassian backend, not yet pushed. */
export async function createJiraIssue(dataSource: DataSource, caller: User, fields: DeepPartial<Issue> = {}): Promise<Issue> {
  return dataSource.getRepository(Issue).save({
    backendName: 'atlassian',
    type: 'Service Request',
    summary: 'VPN is down',
    description: 'Connection times out since 09:00.\nRestarting did not help.',
    callerId: caller.id,
    ...fields,
  });
}

/** Makes "Resolved" a RESOLVED status and "Cancelled" a CANCELED one, as an admin maps Jira's workflow. */
export async function mapJiraStatuses(dataSource: DataSource): Promise<void> {
  const repository = dataSource.getRepository(IssueStatus);
  for (const [name, type] of [
    ['Resolved', IssueStatusType.RESOLVED],
    ['Cancelled', IssueStatusType.CANCELED],
  ] as const) {
    const existing = await repository.findOneBy({ name });
    if (existing) await repository.update({ id: existing.id }, { type });
    else await repository.save({ name, type });
  }
}

/** Empties the support tables, so ids that the reset fake hands out again do not collide. */
export async function clearSupportTables(dataSource: DataSource): Promise<void> {
  await dataSource.query('TRUNCATE attachments, comments, feedbacks, issues, support_users, request_types RESTART IDENTITY CASCADE');
  await dataSource.query("DELETE FROM priorities WHERE backend_name = 'atlassian'");
}
