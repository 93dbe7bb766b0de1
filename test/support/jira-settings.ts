import { INTEGRATION_EMAIL, INTEGRATION_TOKEN, type FakeJira } from '../fakes/jira';

/** The settings an admin posts to `/api/override-settings/` to connect the app to the fake Jira as the integration user. */
export function jiraOverrideSettings(fake: FakeJira, webhookSecret: string): Record<string, unknown> {
  return {
    WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'atlassian',
    ATLASSIAN_API_URL: fake.url,
    ATLASSIAN_EMAIL: INTEGRATION_EMAIL,
    ATLASSIAN_TOKEN: INTEGRATION_TOKEN,
    ATLASSIAN_PROJECT_ID: 'SUP',
    ATLASSIAN_ORGANISATION_FIELD: 'Reporter organization',
    ATLASSIAN_PROJECT_FIELD: 'Project',
    ATLASSIAN_SEARCH_API: fake.settings.flavour === 'cloud' ? 'jql' : 'legacy',
    ATLASSIAN_WEBHOOK_SECRET: webhookSecret,
  };
}
