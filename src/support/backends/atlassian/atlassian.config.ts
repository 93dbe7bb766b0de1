import type { SettingsValues } from '../../../settings/settings.registry';
import { JiraAuth, JiraCredentials, resolveJiraAuth } from './jira-auth';
import type { JiraSearchApi } from './jira.client';

/** Names of the Jira fields the adapter reads and writes, as configured; empty means not used. */
export interface AtlassianFieldNames {
  impact: string;
  organisation: string;
  project: string;
  affectedResource: string;
  reporter: string;
  caller: string;
  template: string;
  sla: string;
  resolutionSla: string;
  satisfaction: string;
  requestFeedback: string;
  waldurBackendId: string;
}

/** The settings the Jira adapter is built from; a change to any of them rebuilds it. */
export interface AtlassianSettings {
  apiUrl: string;
  credentials: JiraCredentials;
  verifySsl: boolean;
  /** Service desk id or project key that issues are created in. */
  projectId: string;
  sharedUsername: boolean;
  customFieldMappingEnabled: boolean;
  /** Create plain Jira issues and use Server-style users (`name`, `username=`, `usernames`). */
  useOldApi: boolean;
  useTeenageApi: boolean;
  automaticRequestMapping: boolean;
  searchApi: JiraSearchApi;
  /** Path segment of the private request-type route of old Service Desk versions. */
  strangeSetting: number;
  pullPriorities: boolean;
  excludedAttachmentTypes: string[];
  summaryTemplate: string;
  descriptionTemplate: string;
  linkedIssueType: string;
  fields: AtlassianFieldNames;
  webhookSecret: string;
}

type AtlassianSettingKeys = Extract<keyof SettingsValues, `ATLASSIAN_${string}`>;

export function atlassianSettingsFrom(values: Pick<SettingsValues, AtlassianSettingKeys>): AtlassianSettings {
  return {
    apiUrl: values.ATLASSIAN_API_URL.trim().replace(/\/+$/, ''),
    credentials: {
      oauth2AccessToken: values.ATLASSIAN_OAUTH2_ACCESS_TOKEN,
      oauth2TokenType: values.ATLASSIAN_OAUTH2_TOKEN_TYPE,
      personalAccessToken: values.ATLASSIAN_PERSONAL_ACCESS_TOKEN,
      email: values.ATLASSIAN_EMAIL,
      username: values.ATLASSIAN_USERNAME,
      token: values.ATLASSIAN_TOKEN,
      password: values.ATLASSIAN_PASSWORD,
    },
    verifySsl: values.ATLASSIAN_VERIFY_SSL,
    projectId: values.ATLASSIAN_PROJECT_ID.trim(),
    sharedUsername: values.ATLASSIAN_SHARED_USERNAME,
    customFieldMappingEnabled: values.ATLASSIAN_CUSTOM_ISSUE_FIELD_MAPPING_ENABLED,
    useOldApi: values.ATLASSIAN_USE_OLD_API,
    useTeenageApi: values.ATLASSIAN_USE_TEENAGE_API,
    automaticRequestMapping: values.ATLASSIAN_USE_AUTOMATIC_REQUEST_MAPPING,
    searchApi: values.ATLASSIAN_SEARCH_API,
    strangeSetting: values.ATLASSIAN_STRANGE_SETTING,
    pullPriorities: values.ATLASSIAN_PULL_PRIORITIES,
    excludedAttachmentTypes: values.ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES.split(',')
      .map((type) => type.trim())
      .filter(Boolean),
    summaryTemplate: values.ATLASSIAN_SUMMARY_TEMPLATE,
    descriptionTemplate: values.ATLASSIAN_DESCRIPTION_TEMPLATE,
    linkedIssueType: values.ATLASSIAN_LINKED_ISSUE_TYPE.trim(),
    fields: {
      impact: values.ATLASSIAN_IMPACT_FIELD.trim(),
      organisation: values.ATLASSIAN_ORGANISATION_FIELD.trim(),
      project: values.ATLASSIAN_PROJECT_FIELD.trim(),
      affectedResource: values.ATLASSIAN_AFFECTED_RESOURCE_FIELD.trim(),
      reporter: values.ATLASSIAN_REPORTER_FIELD.trim(),
      caller: values.ATLASSIAN_CALLER_FIELD.trim(),
      template: values.ATLASSIAN_TEMPLATE_FIELD.trim(),
      sla: values.ATLASSIAN_SLA_FIELD.trim(),
      resolutionSla: values.ATLASSIAN_RESOLUTION_SLA_FIELD.trim(),
      satisfaction: values.ATLASSIAN_SATISFACTION_FIELD.trim(),
      requestFeedback: values.ATLASSIAN_REQUEST_FEEDBACK_FIELD.trim(),
      waldurBackendId: values.ATLASSIAN_WALDUR_BACKEND_ID_FIELD.trim(),
    },
    webhookSecret: values.ATLASSIAN_WEBHOOK_SECRET,
  };
}

/** Returns the credentials the settings select, by the adapter's priority order. */
export function atlassianAuth(settings: AtlassianSettings): JiraAuth | undefined {
  return resolveJiraAuth(settings.credentials);
}

/** Lists what must be set before Jira can be called, in words; an empty list when nothing is missing. */
export function missingAtlassianSettings(settings: AtlassianSettings): string[] {
  const missing: string[] = [];
  if (!settings.apiUrl) missing.push('ATLASSIAN_API_URL');
  if (!atlassianAuth(settings)) {
    missing.push(
      'credentials (ATLASSIAN_OAUTH2_ACCESS_TOKEN, ATLASSIAN_PERSONAL_ACCESS_TOKEN, ATLASSIAN_EMAIL with ATLASSIAN_TOKEN, or ATLASSIAN_USERNAME with ATLASSIAN_PASSWORD)',
    );
  }
  if (!settings.projectId) missing.push('ATLASSIAN_PROJECT_ID');
  return missing;
}
