import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not } from 'typeorm';

import { FieldErrors, ValidationFailedException } from '../../common/errors/app.exception';
import type { User } from '../../identity/users/user.entity';
import { SETTINGS, SettingKey } from '../../settings/settings.registry';
import { SettingsChanges, SettingsService } from '../../settings/settings.service';
import { atlassianAuth, atlassianSettingsFrom } from '../backends/atlassian/atlassian.config';
import { JiraDiscovery, withJiraDiscovery } from '../backends/atlassian/jira-discovery';
import { REQUEST_TYPE_PREFERENCE } from '../backends/atlassian/jira-reference-data';
import { unknownTemplateVariables } from '../backends/atlassian/jira-templates';
import { RequestType } from '../request-types/request-type.entity';
import { discoveryCredentials, SECRET_MASK } from './atlassian-credentials';
import { assertStaff } from './atlassian-discovery.service';
import type { AtlassianSettingsPreviewDto, AtlassianSettingsSaveDto } from './dto/atlassian-settings.dto';

/** Body fields that hold a field name, and the setting each one sets. */
const FIELD_SETTINGS = {
  reporter_field: 'ATLASSIAN_REPORTER_FIELD',
  impact_field: 'ATLASSIAN_IMPACT_FIELD',
  organisation_field: 'ATLASSIAN_ORGANISATION_FIELD',
  project_field: 'ATLASSIAN_PROJECT_FIELD',
  affected_resource_field: 'ATLASSIAN_AFFECTED_RESOURCE_FIELD',
  caller_field: 'ATLASSIAN_CALLER_FIELD',
  template_field: 'ATLASSIAN_TEMPLATE_FIELD',
  sla_field: 'ATLASSIAN_SLA_FIELD',
  resolution_sla_field: 'ATLASSIAN_RESOLUTION_SLA_FIELD',
  satisfaction_field: 'ATLASSIAN_SATISFACTION_FIELD',
  request_feedback_field: 'ATLASSIAN_REQUEST_FEEDBACK_FIELD',
  waldur_backend_id_field: 'ATLASSIAN_WALDUR_BACKEND_ID_FIELD',
} as const satisfies Record<string, SettingKey>;

type FieldSettingName = keyof typeof FIELD_SETTINGS;

/** Every body field and the setting it sets, so setting errors can be reported under the body field. */
const BODY_SETTINGS: Record<string, SettingKey> = {
  ...FIELD_SETTINGS,
  api_url: 'ATLASSIAN_API_URL',
  email: 'ATLASSIAN_EMAIL',
  username: 'ATLASSIAN_USERNAME',
  token: 'ATLASSIAN_TOKEN',
  personal_access_token: 'ATLASSIAN_PERSONAL_ACCESS_TOKEN',
  password: 'ATLASSIAN_PASSWORD',
  verify_ssl: 'ATLASSIAN_VERIFY_SSL',
  project_id: 'ATLASSIAN_PROJECT_ID',
  issue_types: 'ATLASSIAN_ISSUE_TYPES',
  default_offering_issue_type: 'ATLASSIAN_DEFAULT_OFFERING_ISSUE_TYPE',
  use_old_api: 'ATLASSIAN_USE_OLD_API',
  custom_field_mapping_enabled: 'ATLASSIAN_CUSTOM_ISSUE_FIELD_MAPPING_ENABLED',
};

/** One setting a save would change, secrets masked. */
export interface SettingChange {
  key: SettingKey;
  current: unknown;
  new: unknown;
}

export interface AtlassianSettingsPreview {
  /** Every setting the save would write, secrets masked. */
  settings: Partial<Record<SettingKey, unknown>>;
  changes: SettingChange[];
  /** Issue type name to Jira request type id. */
  support_type_mapping: Record<string, string>;
  /** Problems in the chosen settings that do not stop a save, such as field names Jira does not have. */
  warnings: string[];
}

export interface AtlassianSettingsSaved {
  detail: string;
  changed: SettingKey[];
  settings: Record<string, unknown>;
}

/**
 * Reads the current Atlassian settings, and previews and saves settings picked through
 * discovery. A save checks the credentials and the service desk against Jira first. Then
 * it writes every setting in one `SettingsService.update`, which stores all of them or
 * none, and after that the request type mapping.
 */
@Injectable()
export class AtlassianSettingsService {
  private readonly logger = new Logger(AtlassianSettingsService.name);

  constructor(
    private readonly settings: SettingsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Returns the stored Atlassian settings in the body shape of `save_settings`, secrets masked. */
  async currentSettings(user: User): Promise<Record<string, unknown>> {
    assertStaff(user);
    const values = this.settings.getAll();
    const auth = atlassianAuth(atlassianSettingsFrom(values));
    const view: Record<string, unknown> = {
      api_url: values.ATLASSIAN_API_URL,
      auth_method: auth?.method ?? null,
      email: values.ATLASSIAN_EMAIL,
      username: values.ATLASSIAN_USERNAME,
      token: mask(values.ATLASSIAN_TOKEN),
      personal_access_token: mask(values.ATLASSIAN_PERSONAL_ACCESS_TOKEN),
      password: mask(values.ATLASSIAN_PASSWORD),
      verify_ssl: values.ATLASSIAN_VERIFY_SSL,
      project_id: values.ATLASSIAN_PROJECT_ID,
      issue_types: splitIssueTypes(values.ATLASSIAN_ISSUE_TYPES),
      support_type_mapping: await this.storedTypeMapping(),
      default_offering_issue_type: values.ATLASSIAN_DEFAULT_OFFERING_ISSUE_TYPE,
      use_old_api: values.ATLASSIAN_USE_OLD_API,
      custom_field_mapping_enabled: values.ATLASSIAN_CUSTOM_ISSUE_FIELD_MAPPING_ENABLED,
    };
    for (const [field, key] of Object.entries(FIELD_SETTINGS)) view[field] = values[key];
    return view;
  }

  async previewSettings(user: User, body: AtlassianSettingsPreviewDto): Promise<AtlassianSettingsPreview> {
    assertStaff(user);
    const changes = this.changesFrom(body);
    const warnings = await this.checkAgainstJira(body, changes);
    const current = this.settings.getAll();
    return {
      settings: Object.fromEntries(Object.entries(changes).map(([key, value]) => [key, shown(key as SettingKey, value)])),
      changes: Object.entries(changes)
        .filter(([key, value]) => current[key as SettingKey] !== (value ?? SETTINGS[key as SettingKey].default))
        .map(([key, value]) => ({ key: key as SettingKey, current: shown(key as SettingKey, current[key as SettingKey]), new: shown(key as SettingKey, value) })),
      support_type_mapping: body.support_type_mapping ?? {},
      warnings,
    };
  }

  async saveSettings(user: User, body: AtlassianSettingsSaveDto): Promise<AtlassianSettingsSaved> {
    assertStaff(user);
    if (body.confirm_save !== true) throw ValidationFailedException.field('confirm_save', 'Set confirm_save to true to save the settings.');
    const changes = this.changesFrom(body);
    await this.checkAgainstJira(body, changes);

    let changed: SettingKey[];
    try {
      changed = await this.settings.update(changes);
    } catch (error) {
      if (error instanceof ValidationFailedException) throw new ValidationFailedException(toBodyErrors(error.fieldErrors ?? {}));
      throw error;
    }
    if (body.support_type_mapping && !body.use_old_api) await this.storeTypeMapping(body, body.support_type_mapping);
    this.logger.log(`User ${user.uuid} saved the Atlassian settings: ${changed.join(', ') || 'no changes'}`);
    return { detail: 'Settings saved.', changed, settings: await this.currentSettings(user) };
  }

  /**
   * Turns a preview or save body into setting changes. Credentials of the other methods
   * are cleared (null restores the empty default), because the adapter picks credentials
   * by priority and a leftover OAuth or personal access token would win over the chosen ones.
   */
  private changesFrom(body: AtlassianSettingsPreviewDto): SettingsChanges {
    const credentials = discoveryCredentials(body, this.settings.getAll()).credentials;
    const changes: SettingsChanges = {
      ATLASSIAN_API_URL: body.api_url.trim().replace(/\/+$/, ''),
      ATLASSIAN_OAUTH2_ACCESS_TOKEN: null,
      ATLASSIAN_PERSONAL_ACCESS_TOKEN: credentials.personalAccessToken || null,
      ATLASSIAN_EMAIL: credentials.email || null,
      ATLASSIAN_USERNAME: credentials.username || null,
      ATLASSIAN_TOKEN: credentials.token || null,
      ATLASSIAN_PASSWORD: credentials.password || null,
      ATLASSIAN_VERIFY_SSL: body.verify_ssl ?? true,
      ATLASSIAN_PROJECT_ID: body.project_id.trim(),
      ATLASSIAN_USE_OLD_API: body.use_old_api ?? false,
      ATLASSIAN_CUSTOM_ISSUE_FIELD_MAPPING_ENABLED: body.custom_field_mapping_enabled ?? true,
    };
    if (body.issue_types) changes.ATLASSIAN_ISSUE_TYPES = body.issue_types.map((type) => type.trim()).join(', ');
    if (body.default_offering_issue_type !== undefined) changes.ATLASSIAN_DEFAULT_OFFERING_ISSUE_TYPE = body.default_offering_issue_type;
    for (const [field, key] of Object.entries(FIELD_SETTINGS)) {
      const value = body[field as FieldSettingName];
      if (value !== undefined) changes[key] = value.trim();
    }
    return changes;
  }

  /**
   * Checks the settings against Jira with the body's credentials: the credentials, the
   * service desk, the request types of the type mapping (errors), and the field names and
   * template placeholders (warnings). Jira failures are 424.
   */
  private async checkAgainstJira(body: AtlassianSettingsPreviewDto, changes: SettingsChanges): Promise<string[]> {
    return this.discover(body, async (discovery) => {
      await discovery.checkCredentials();
      if (!body.use_old_api) {
        const types = await discovery.requestTypes(body.project_id);
        if (body.support_type_mapping) checkTypeMapping(types.map((type) => type.id), body.support_type_mapping);
      }

      const warnings: string[] = [];
      const names = Object.entries(FIELD_SETTINGS).map(([field, key]) => ({ field, name: (changes[key] as string | undefined) ?? this.settings.get(key) }));
      const unknown = new Set(await discovery.unknownFieldNames(names.map((entry) => entry.name)));
      for (const { field, name } of names) if (unknown.has(name)) warnings.push(`Jira has no field named "${name}" (${field}); it will be left out.`);
      for (const key of ['ATLASSIAN_SUMMARY_TEMPLATE', 'ATLASSIAN_DESCRIPTION_TEMPLATE'] as const) {
        const placeholders = unknownTemplateVariables(this.settings.get(key));
        if (placeholders.length > 0) warnings.push(`${key} uses unknown placeholders, which render empty: ${placeholders.join(', ')}.`);
      }
      return warnings;
    });
  }

  /**
   * Maps each issue type to its request type as an admin mapping (`manualMapping`), which
   * wins over other request types of that issue type and survives automatic request
   * mapping. Rows mapped to the issue type by an earlier save lose that mark. Existing rows
   * get the issue type name, and missing ones are added from Jira.
   */
  private async storeTypeMapping(body: AtlassianSettingsSaveDto, mapping: Record<string, string>): Promise<void> {
    const types = new Map((await this.discover(body, (discovery) => discovery.requestTypes(body.project_id))).map((type) => [type.id, type]));
    await this.dataSource.transaction(async (manager) => {
      for (const [issueType, requestTypeId] of Object.entries(mapping)) {
        const backendId = Number(requestTypeId.trim());
        const issueTypeName = issueType.slice(0, 255);
        await manager.update(RequestType, { backendName: 'atlassian', issueTypeName, manualMapping: true, backendId: Not(backendId) }, { manualMapping: false });
        const existing = await manager.findOneBy(RequestType, { backendName: 'atlassian', backendId });
        if (existing) {
          await manager.update(RequestType, { id: existing.id }, { issueTypeName, isActive: true, manualMapping: true });
          continue;
        }
        const name = (types.get(String(backendId))?.name ?? `Request type ${backendId}`).slice(0, 150);
        await manager.save(manager.create(RequestType, { name, issueTypeName, backendName: 'atlassian', backendId, manualMapping: true }));
      }
    });
  }

  private discover<T>(body: AtlassianSettingsPreviewDto, work: (discovery: JiraDiscovery) => Promise<T>): Promise<T> {
    const credentials = discoveryCredentials(body, this.settings.getAll());
    const options = { baseUrl: credentials.apiUrl, auth: credentials.auth, verifySsl: credentials.verifySsl, strangeSetting: this.settings.get('ATLASSIAN_STRANGE_SETTING') };
    return withJiraDiscovery(options, work);
  }

  private async storedTypeMapping(): Promise<Record<string, string>> {
    const rows = await this.dataSource.getRepository(RequestType).find({ where: { backendName: 'atlassian', isActive: true }, order: REQUEST_TYPE_PREFERENCE });
    const mapping: Record<string, string> = {};
    for (const row of rows) if (row.backendId !== null && !(row.issueTypeName in mapping)) mapping[row.issueTypeName] = String(row.backendId);
    return mapping;
  }
}

/** Rejects a mapping to request types the service desk does not have, with 400 on `support_type_mapping`. */
function checkTypeMapping(knownIds: string[], mapping: Record<string, unknown>): void {
  const known = new Set(knownIds);
  const errors: string[] = [];
  const issueTypesByRequestType = new Map<string, string[]>();
  for (const [issueType, requestTypeId] of Object.entries(mapping)) {
    if (typeof requestTypeId !== 'string' || !requestTypeId.trim()) errors.push(`The request type of "${issueType}" may not be blank.`);
    else if (!known.has(requestTypeId.trim())) errors.push(`Jira has no request type ${requestTypeId} in this service desk (for "${issueType}").`);
    else issueTypesByRequestType.set(requestTypeId.trim(), [...(issueTypesByRequestType.get(requestTypeId.trim()) ?? []), issueType]);
  }
  for (const [requestTypeId, issueTypes] of issueTypesByRequestType) {
    if (issueTypes.length < 2) continue;
    const names = issueTypes.map((issueType) => `"${issueType}"`).join(', ');
    errors.push(`Request type ${requestTypeId} is mapped to several issue types (${names}); map each request type to one issue type.`);
  }
  if (errors.length > 0) throw new ValidationFailedException({ support_type_mapping: errors });
}

function mask(secret: string): string {
  return secret ? SECRET_MASK : '';
}

function shown(key: SettingKey, value: unknown): unknown {
  if (value === null || value === undefined) return SETTINGS[key].default;
  return SETTINGS[key].secret && value !== '' ? SECRET_MASK : value;
}

function splitIssueTypes(value: string): string[] {
  return value
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
}

/** Re-keys setting validation errors by the body field that set them. */
function toBodyErrors(errors: FieldErrors): FieldErrors {
  const byKey = new Map(Object.entries(BODY_SETTINGS).map(([field, key]) => [key as string, field]));
  return Object.fromEntries(Object.entries(errors).map(([key, messages]) => [byKey.get(key) ?? key, messages]));
}
