import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

import { FieldErrors, ValidationFailedException } from '../common/errors/app.exception';
import { coerceSettingValue } from './setting-definition';
import { SETTINGS_CHANGED_EVENT, SettingsChangedEvent } from './settings.events';
import { isSettingKey, SETTING_KEYS, SETTINGS, settingDefaults, SettingKey, SettingsValues } from './settings.registry';
import { SettingsRepository, StoredValue } from './settings.repository';

/** Milliseconds between checks of `max(revision)`, so a change reaches every replica within about this long. */
export const SETTINGS_POLL_INTERVAL_MS = 2_000;

/** Consecutive failed polls between two repeated warnings, so an outage logs about once a minute. */
const FAILED_POLLS_PER_WARNING = 30;

/** New values by key. A null value restores the default. */
export type SettingsChanges = { [Key in SettingKey]?: SettingsValues[Key] | null };

/**
 * Runtime settings stored in the database, served from an in-memory copy. The copy is
 * loaded at boot, reloaded right after a local write, and reloaded whenever polling
 * finds that `max(revision)` moved, so writes made on other replicas arrive within
 * one poll interval. Each reload that changes a value emits `settings.changed`.
 */
@Injectable()
export class SettingsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SettingsService.name);
  private values: Readonly<SettingsValues> = Object.freeze(settingDefaults());
  private loadedRevision: string | null = null;
  private reloadQueue: Promise<unknown> = Promise.resolve();
  private pollTimer?: NodeJS.Timeout;
  private pollInFlight?: Promise<void>;
  private stopped = false;
  private failedPolls = 0;

  constructor(
    private readonly repository: SettingsRepository,
    private readonly eventEmitter: EventEmitter2,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.schedulePoll();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    await this.pollInFlight;
    await this.reloadQueue;
  }

  get<Key extends SettingKey>(key: Key): SettingsValues[Key] {
    return this.values[key];
  }

  /** Returns a frozen snapshot of every setting. A later change replaces the snapshot instead of mutating it. */
  getAll(): Readonly<SettingsValues> {
    return this.values;
  }

  /**
   * Validates every change, then writes all of them in one transaction. Nothing is
   * written when any value is invalid. A value equal to the default clears the
   * override. Returns the keys whose stored value changed.
   *
   * @throws ValidationFailedException naming each invalid key.
   */
  async update(changes: SettingsChanges): Promise<SettingKey[]> {
    const overrides = this.validate(changes);
    const written = await this.repository.saveOverrides(overrides);
    if (written.length > 0) await this.refreshAfterWrite();
    return written;
  }

  /**
   * Reloads the settings when `max(revision)` differs from the loaded one and emits
   * `settings.changed` for the values that changed. Reloads run one at a time.
   * Returns the changed keys.
   */
  refresh(): Promise<SettingKey[]> {
    const reload = this.reloadQueue.then(() => this.reloadIfChanged());
    this.reloadQueue = reload.catch(() => undefined);
    return reload;
  }

  private validate(changes: SettingsChanges): Map<SettingKey, StoredValue> {
    const errors: FieldErrors = {};
    const overrides = new Map<SettingKey, StoredValue>();

    for (const [key, input] of Object.entries(changes)) {
      if (input === undefined) continue;
      if (!isSettingKey(key)) {
        errors[key] = ['Unknown setting.'];
        continue;
      }
      if (input === null) {
        overrides.set(key, null);
        continue;
      }

      const definition = SETTINGS[key];
      const result = coerceSettingValue(definition, input);
      if (!result.ok) {
        errors[key] = [result.error];
        continue;
      }
      const unset = result.value === null || result.value === definition.default;
      overrides.set(key, unset ? null : result.value);
    }

    if (Object.keys(errors).length > 0) throw new ValidationFailedException(errors);
    return overrides;
  }

  private async refreshAfterWrite(): Promise<void> {
    try {
      await this.refresh();
    } catch (error) {
      // The write is committed, so the poller loads it once the database is reachable again.
      this.logger.warn({ err: error }, 'Reloading settings after a write failed, the next poll retries');
    }
  }

  private async reloadIfChanged(): Promise<SettingKey[]> {
    const maxRevision = await this.repository.findMaxRevision();
    if (maxRevision === this.loadedRevision) return [];

    const rows = await this.repository.findAll();
    const next = settingDefaults() as Record<SettingKey, unknown>;
    let loadedRevision: bigint | null = null;

    for (const row of rows) {
      const revision = BigInt(row.revision);
      if (loadedRevision === null || revision > loadedRevision) loadedRevision = revision;
      // Rows of settings no longer in the registry and tombstones leave the default in place.
      if (!isSettingKey(row.key) || row.value === null) continue;

      const result = coerceSettingValue(SETTINGS[row.key], row.value);
      if (result.ok && result.value !== null) {
        next[row.key] = result.value;
      } else {
        this.logger.warn({ key: row.key, revision: row.revision }, 'Stored setting value is invalid, using the default');
      }
    }

    const changed = SETTING_KEYS.filter((key) => next[key] !== this.values[key]);
    this.values = Object.freeze(next as SettingsValues);
    this.loadedRevision = loadedRevision === null ? null : loadedRevision.toString();
    if (changed.length > 0) this.emitChanged(changed);
    return changed;
  }

  private emitChanged(keys: SettingKey[]): void {
    const event: SettingsChangedEvent = { keys, revision: this.loadedRevision ?? '0' };
    this.logger.log({ keys, revision: event.revision }, 'Settings changed');
    try {
      this.eventEmitter.emit(SETTINGS_CHANGED_EVENT, event);
    } catch (error) {
      this.logger.error({ err: error, keys }, 'A settings.changed listener failed');
    }
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      this.pollInFlight = this.poll().finally(() => {
        this.pollInFlight = undefined;
        this.schedulePoll();
      });
    }, SETTINGS_POLL_INTERVAL_MS);
    // The HTTP server keeps a running app alive; the timer alone must not.
    this.pollTimer.unref();
  }

  private async poll(): Promise<void> {
    try {
      await this.refresh();
      if (this.failedPolls > 0) {
        this.logger.log({ failedPolls: this.failedPolls }, 'Settings polling recovered');
        this.failedPolls = 0;
      }
    } catch (error) {
      this.failedPolls += 1;
      if (this.failedPolls === 1 || this.failedPolls % FAILED_POLLS_PER_WARNING === 0) {
        this.logger.warn({ err: error, failedPolls: this.failedPolls }, 'Polling settings failed, retrying');
      }
    }
  }
}
