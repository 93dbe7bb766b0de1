import type { SettingKey } from './settings.registry';

/** In-process event (`EventEmitter2`) emitted on every replica whose settings cache changed. */
export const SETTINGS_CHANGED_EVENT = 'settings.changed';

export interface SettingsChangedEvent {
  /** Settings whose effective value changed, in registry order. */
  keys: SettingKey[];
  /** Highest `settings.revision` now loaded, as a decimal string (it is a bigint). */
  revision: string;
}
