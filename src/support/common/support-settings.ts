import type { SettingKey } from '../../settings/settings.registry';
import type { SettingsService } from '../../settings/settings.service';
import { BACKEND_NAMES, BackendName } from './backend-name';

/** The issue types HomePort offers in its create dialog; always accepted, whatever the setting says. */
export const HOMEPORT_ISSUE_TYPES = ['Informational', 'Service Request', 'Change Request', 'Incident'] as const;

/**
 * Reads a boolean setting. Values may arrive as JSON booleans or, from multipart forms,
 * as strings; anything other than an explicit false keeps `fallback`.
 */
export function readBooleanSetting(settings: SettingsService, key: SettingKey, fallback: boolean): boolean {
  const value: unknown = settings.get(key);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const normalized = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
    if (['false', '0', 'no', 'off'].includes(normalized)) return false;
  }
  return fallback;
}

export function isSupportEnabled(settings: SettingsService): boolean {
  return readBooleanSetting(settings, 'WALDUR_SUPPORT_ENABLED', true);
}

/** The backend type the admin chose; an unknown value selects the built-in desk, as in Waldur. */
export function activeBackendName(settings: SettingsService): BackendName {
  const value: unknown = settings.get('WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE');
  const name = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return (BACKEND_NAMES as readonly string[]).includes(name) ? (name as BackendName) : 'basic';
}

/** `ATLASSIAN_ISSUE_TYPES` split on commas; the first one is the default type of new issues. */
export function configuredIssueTypes(settings: SettingsService): string[] {
  const value: unknown = settings.get('ATLASSIAN_ISSUE_TYPES');
  const types = (typeof value === 'string' ? value : '')
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
  return types.length > 0 ? types : [...HOMEPORT_ISSUE_TYPES];
}

export function issueKeyPrefix(settings: SettingsService): string {
  const value: unknown = settings.get('SUPPORT_ISSUE_KEY_PREFIX');
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : 'SUP';
}

export function isFeedbackEnabled(settings: SettingsService): boolean {
  return readBooleanSetting(settings, 'ISSUE_FEEDBACK_ENABLE', true);
}

/** Whether issues filed for someone else name the filer's own helpdesk account as reporter. */
export function mapsUsersToServiceDeskAgents(settings: SettingsService): boolean {
  return readBooleanSetting(settings, 'ATLASSIAN_MAP_WALDUR_USERS_TO_SERVICEDESK_AGENTS', false);
}
