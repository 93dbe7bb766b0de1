import { settingDefaults } from '../../src/settings/settings.registry';
import { SettingsService } from '../../src/settings/settings.service';

/**
 * A stand-in for `SettingsService` over a plain object that starts at the defaults, for
 * unit specs of classes that read settings only through `get`, `getAll` and `update`.
 */
export function inMemorySettings(): SettingsService {
  const values: Record<string, unknown> = { ...settingDefaults() };
  return {
    get: (key: string) => values[key],
    getAll: () => ({ ...values }),
    update: async (changes: Record<string, unknown>) => Object.assign(values, changes),
  } as unknown as SettingsService;
}
