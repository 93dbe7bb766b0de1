import { Injectable, Logger } from '@nestjs/common';

import { FieldErrors, PermissionDeniedException, ValidationFailedException } from '../common/errors/app.exception';
import { assertDictionary } from '../common/validation/drf-validation.pipe';
import type { User } from '../identity/users/user.entity';
import { coerceSettingValue } from './setting-definition';
import { isSettingKey, SETTING_KEYS, SETTINGS, SettingsValues } from './settings.registry';
import { SettingsChanges, SettingsService } from './settings.service';

/** Shown in place of a stored secret. Posting it back leaves the secret unchanged. */
export const SECRET_MASK = '********';

/** Names of ignored keys listed in one warning at most, so a huge body cannot flood the log. */
const MAX_LOGGED_UNKNOWN_KEYS = 20;

export type OverrideSettingsView = Record<keyof SettingsValues, boolean | number | string>;

/**
 * `/api/override-settings/`: staff read every setting (secrets masked) and change them
 * with JSON or form posts, where booleans and integers arrive as strings.
 */
@Injectable()
export class OverrideSettingsService {
  private readonly logger = new Logger(OverrideSettingsService.name);

  constructor(private readonly settings: SettingsService) {}

  retrieve(user: User): OverrideSettingsView {
    assertStaff(user);
    return this.view();
  }

  async update(user: User, body: unknown): Promise<OverrideSettingsView> {
    assertStaff(user);
    const changes = this.parseChanges(body);
    await this.settings.update(changes);
    return this.view();
  }

  private view(): OverrideSettingsView {
    const values = this.settings.getAll();
    const view = {} as OverrideSettingsView;
    for (const key of SETTING_KEYS) {
      const value = values[key];
      if (SETTINGS[key].secret && value !== '') view[key] = SECRET_MASK;
      else view[key] = value;
    }
    return view;
  }

  /**
   * Reads the posted keys into typed changes. Unknown keys are skipped with a warning
   * (other parts of a larger deployment own them), a secret posted back as the mask is
   * skipped, and every invalid value is reported at once.
   */
  private parseChanges(body: unknown): SettingsChanges {
    assertDictionary(body);

    const changes: Record<string, unknown> = {};
    const errors: FieldErrors = {};
    const unknownKeys: string[] = [];

    for (const [key, input] of Object.entries(body)) {
      if (!isSettingKey(key)) {
        unknownKeys.push(key);
        continue;
      }
      const definition = SETTINGS[key];
      if (definition.secret && input === SECRET_MASK) continue;

      const result = coerceSettingValue(definition, input);
      if (result.ok) changes[key] = result.value;
      else errors[key] = [result.error];
    }

    if (unknownKeys.length > 0) this.warnUnknownKeys(unknownKeys);
    if (Object.keys(errors).length > 0) throw new ValidationFailedException(errors);
    return changes as SettingsChanges;
  }

  private warnUnknownKeys(keys: string[]): void {
    const names = keys.slice(0, MAX_LOGGED_UNKNOWN_KEYS).map((key) => key.slice(0, 100));
    this.logger.warn({ keys: names, count: keys.length }, 'Ignored unknown settings in an override-settings update');
  }
}

function assertStaff(user: User): void {
  if (!user.isStaff) throw new PermissionDeniedException();
}
