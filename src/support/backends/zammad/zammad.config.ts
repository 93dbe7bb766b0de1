import type { SettingsValues } from '../../../settings/settings.registry';

/** The settings the Zammad adapter is built from; a change to any of them rebuilds it. */
export interface ZammadSettings {
  apiUrl: string;
  token: string;
  /** Group of new tickets; empty means the first group Zammad lists. */
  group: string;
  /** Article type of comments and attachment notes, such as `email` or `note`. */
  articleType: string;
  /** Line that marks articles written through this service. */
  commentMarker: string;
  /** Author line of comments; `{name}` is replaced with the author's name. */
  commentPrefix: string;
  /** Minutes after creation during which a pushed comment or attachment may be deleted. */
  commentCooldownMinutes: number;
  webhookSecret: string;
  /** Tag added to every ticket made here, so agents can filter them. */
  siteName: string;
}

type ZammadSettingKeys =
  | 'ZAMMAD_API_URL'
  | 'ZAMMAD_TOKEN'
  | 'ZAMMAD_GROUP'
  | 'ZAMMAD_ARTICLE_TYPE'
  | 'ZAMMAD_COMMENT_MARKER'
  | 'ZAMMAD_COMMENT_PREFIX'
  | 'ZAMMAD_COMMENT_COOLDOWN_DURATION'
  | 'ZAMMAD_WEBHOOK_SECRET'
  | 'SITE_NAME';

export function zammadSettingsFrom(values: Pick<SettingsValues, ZammadSettingKeys>): ZammadSettings {
  return {
    apiUrl: values.ZAMMAD_API_URL.trim(),
    token: values.ZAMMAD_TOKEN.trim(),
    group: values.ZAMMAD_GROUP.trim(),
    articleType: values.ZAMMAD_ARTICLE_TYPE,
    commentMarker: values.ZAMMAD_COMMENT_MARKER.trim(),
    commentPrefix: values.ZAMMAD_COMMENT_PREFIX,
    commentCooldownMinutes: values.ZAMMAD_COMMENT_COOLDOWN_DURATION,
    webhookSecret: values.ZAMMAD_WEBHOOK_SECRET,
    siteName: values.SITE_NAME.trim(),
  };
}

/** Names of the settings that must be set before Zammad can be called, or an empty list. */
export function missingZammadSettings(settings: ZammadSettings): string[] {
  const missing: string[] = [];
  if (!settings.apiUrl) missing.push('ZAMMAD_API_URL');
  if (!settings.token) missing.push('ZAMMAD_TOKEN');
  return missing;
}
