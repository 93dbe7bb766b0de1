import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

import { ValidationFailedException } from '../common/errors/app.exception';
import { SETTINGS_CHANGED_EVENT, SettingsChangedEvent } from './settings.events';
import type { SettingKey } from './settings.registry';
import { SettingsRepository, StoredSetting, StoredValue } from './settings.repository';
import { SETTINGS_POLL_INTERVAL_MS, SettingsService } from './settings.service';

/** An in-memory `settings` table with a switch that makes every query fail like a lost connection. */
class InMemorySettingsRepository {
  rows = new Map<string, StoredSetting>();
  failing = false;
  private nextRevision = 1n;

  async findMaxRevision(): Promise<string | null> {
    this.failIfDown();
    let max: bigint | null = null;
    for (const row of this.rows.values()) if (max === null || BigInt(row.revision) > max) max = BigInt(row.revision);
    return max === null ? null : max.toString();
  }

  async findAll(): Promise<StoredSetting[]> {
    this.failIfDown();
    return [...this.rows.values()];
  }

  async saveOverrides(overrides: ReadonlyMap<SettingKey, StoredValue>): Promise<SettingKey[]> {
    this.failIfDown();
    const written: SettingKey[] = [];
    for (const [key, value] of overrides) {
      if ((this.rows.get(key)?.value ?? null) === value) continue;
      this.store(key, value);
      written.push(key);
    }
    return written;
  }

  /** Writes a row as another replica would. */
  store(key: string, value: unknown): void {
    this.rows.set(key, { key, value, revision: (this.nextRevision++).toString() });
  }

  private failIfDown(): void {
    if (this.failing) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  }
}

describe('SettingsService', () => {
  let repository: InMemorySettingsRepository;
  let events: SettingsChangedEvent[];
  let service: SettingsService;

  beforeEach(async () => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    repository = new InMemorySettingsRepository();
    const emitter = new EventEmitter2();
    events = [];
    emitter.on(SETTINGS_CHANGED_EVENT, (event: SettingsChangedEvent) => events.push(event));
    service = new SettingsService(repository as unknown as SettingsRepository, emitter);
  });

  afterEach(async () => {
    await service.onModuleDestroy();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('loads stored values at boot', async () => {
    repository.store('SITE_NAME', 'Helpdesk');
    await service.onModuleInit();

    expect(service.get('SITE_NAME')).toBe('Helpdesk');
    expect(service.get('SMAX_TIMES_TO_PULL')).toBe(10);
  });

  it('ignores invalid and unknown stored values', async () => {
    repository.store('SMAX_TIMES_TO_PULL', 'many');
    repository.store('NO_SUCH_SETTING', true);
    await service.onModuleInit();

    expect(service.get('SMAX_TIMES_TO_PULL')).toBe(10);
    expect(service.getAll()).not.toHaveProperty('NO_SUCH_SETTING');
  });

  it('applies an update and emits the changed keys', async () => {
    await service.onModuleInit();

    const written = await service.update({ SITE_NAME: 'Helpdesk', SMAX_VERIFY_SSL: true });

    expect(written).toEqual(['SITE_NAME']);
    expect(service.get('SITE_NAME')).toBe('Helpdesk');
    expect(events).toEqual([{ keys: ['SITE_NAME'], revision: '1' }]);
  });

  it('stores a value equal to the default as a tombstone', async () => {
    await service.onModuleInit();
    await service.update({ SMAX_TIMES_TO_PULL: 3 });

    await service.update({ SMAX_TIMES_TO_PULL: 10 });

    expect(repository.rows.get('SMAX_TIMES_TO_PULL')?.value).toBeNull();
    expect(service.get('SMAX_TIMES_TO_PULL')).toBe(10);
  });

  it('restores the default for null', async () => {
    await service.onModuleInit();
    await service.update({ SITE_NAME: 'Helpdesk' });

    await service.update({ SITE_NAME: null });

    expect(service.get('SITE_NAME')).toBe('Deskbridge');
  });

  it('rejects every invalid key and writes nothing', async () => {
    await service.onModuleInit();

    const update = service.update({ SITE_NAME: 'Helpdesk', SMAX_TIMES_TO_PULL: 0, HOMEPORT_URL: 'nowhere' });

    await expect(update).rejects.toBeInstanceOf(ValidationFailedException);
    await expect(update).rejects.toMatchObject({
      fieldErrors: {
        SMAX_TIMES_TO_PULL: ['Ensure this value is greater than or equal to 1.'],
        HOMEPORT_URL: ['Enter a valid URL.'],
      },
    });
    expect(repository.rows.size).toBe(0);
  });

  it('rejects unknown keys', async () => {
    await service.onModuleInit();

    const update = service.update({ NO_SUCH_SETTING: 1 } as never);

    await expect(update).rejects.toMatchObject({ fieldErrors: { NO_SUCH_SETTING: ['Unknown setting.'] } });
  });

  it('picks up a write of another replica on the next poll', async () => {
    await service.onModuleInit();
    repository.store('WALDUR_SUPPORT_ENABLED', false);

    await jest.advanceTimersByTimeAsync(SETTINGS_POLL_INTERVAL_MS);

    expect(service.get('WALDUR_SUPPORT_ENABLED')).toBe(false);
    expect(events.map((event) => event.keys)).toEqual([['WALDUR_SUPPORT_ENABLED']]);
  });

  it('keeps polling after a database error', async () => {
    await service.onModuleInit();
    repository.failing = true;

    await jest.advanceTimersByTimeAsync(SETTINGS_POLL_INTERVAL_MS * 3);
    repository.failing = false;
    repository.store('SITE_NAME', 'Recovered');
    await jest.advanceTimersByTimeAsync(SETTINGS_POLL_INTERVAL_MS);

    expect(Logger.prototype.warn).toHaveBeenCalledTimes(1);
    expect(service.get('SITE_NAME')).toBe('Recovered');
  });

  it('stops polling on shutdown', async () => {
    await service.onModuleInit();
    await service.onModuleDestroy();
    repository.store('SITE_NAME', 'Late');

    await jest.advanceTimersByTimeAsync(SETTINGS_POLL_INTERVAL_MS * 2);

    expect(service.get('SITE_NAME')).toBe('Deskbridge');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('survives a listener that throws', async () => {
    const emitter = new EventEmitter2();
    emitter.on(SETTINGS_CHANGED_EVENT, () => {
      throw new Error('rebuild failed');
    });
    const errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const isolated = new SettingsService(repository as unknown as SettingsRepository, emitter);
    await isolated.onModuleInit();

    await isolated.update({ SITE_NAME: 'Helpdesk' });

    expect(isolated.get('SITE_NAME')).toBe('Helpdesk');
    expect(errorLog).toHaveBeenCalledTimes(1);
    await isolated.onModuleDestroy();
  });
});
