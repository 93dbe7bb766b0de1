import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { inMemorySettings } from '../../../test/support/in-memory-settings';
import { ConflictException } from '../../common/errors/app.exception';
import { SettingsService } from '../../settings/settings.service';
import { FileStorage } from '../../storage/file-storage';
import { AtlassianBackend } from './atlassian/atlassian.backend';
import { AtlassianBackendProvider } from './atlassian/atlassian-backend.provider';
import { BasicBackend } from './basic/basic.backend';
import { SmaxAdapterProvider } from './smax/smax-adapter.provider';
import { SmaxBackend } from './smax/smax.backend';
import { SupportBackendProvider } from './support-backend.provider';
import { ZammadAdapterProvider } from './zammad/zammad-adapter.provider';
import { ZammadBackend } from './zammad/zammad.backend';

describe('SupportBackendProvider', () => {
  let settings: SettingsService;
  let provider: SupportBackendProvider;
  let smax: SmaxAdapterProvider;

  beforeAll(() => {
    // The provider logs each rebuild; outside an app that would go to the console.
    Logger.overrideLogger(false);
  });

  beforeEach(() => {
    settings = inMemorySettings();
    smax = new SmaxAdapterProvider(settings);
    provider = new SupportBackendProvider(
      settings,
      new ZammadAdapterProvider(settings, {} as DataSource, {} as FileStorage),
      new AtlassianBackendProvider(settings, {} as DataSource),
      smax,
    );
  });

  it('builds the basic desk by default', () => {
    const backend = provider.current();
    expect(backend).toBeInstanceOf(BasicBackend);
    expect(backend.name).toBe('basic');
  });

  it('reuses the adapter while settings hold', () => {
    expect(provider.current()).toBe(provider.current());
  });

  it('ignores changes to unrelated settings', async () => {
    const first = provider.current();
    await settings.update({ SITE_NAME: 'Elsewhere' });
    provider.onSettingsChanged({ keys: ['SITE_NAME'] });
    expect(provider.current()).toBe(first);
  });

  it('rebuilds when its own settings change', async () => {
    const first = provider.current();
    await settings.update({ SUPPORT_ISSUE_KEY_PREFIX: 'HD' });
    expect(provider.current()).not.toBe(first);
  });

  it('rebuilds when the backend type changes', async () => {
    const first = provider.current();
    await settings.update({ WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'atlassian' });
    const backend = provider.current();
    expect(backend).not.toBe(first);
    expect(backend.name).toBe('atlassian');
  });

  it('builds the Zammad adapter', async () => {
    await settings.update({ WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'zammad' });
    const backend = provider.current();
    expect(backend).toBeInstanceOf(ZammadBackend);
    expect(backend.messageFormat).toBe('html');
  });

  it('rebuilds Zammad when its settings change', async () => {
    await settings.update({ WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'zammad' });
    const first = provider.current();
    await settings.update({ ZAMMAD_GROUP: 'Support' });
    expect(provider.current()).not.toBe(first);
  });

  it('drops the cache on a relevant event', () => {
    const first = provider.current();
    provider.onSettingsChanged({ keys: ['ATLASSIAN_API_URL'] });
    expect(provider.current()).not.toBe(first);
  });

  it('builds the Jira adapter for atlassian', async () => {
    await settings.update({ WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'atlassian' });
    const backend = provider.current();
    expect(backend).toBeInstanceOf(AtlassianBackend);
    expect(backend.name).toBe('atlassian');
  });

  it('leaves shared adapters open when another backend takes over', async () => {
    jest.useFakeTimers();
    const closeJira = jest.spyOn(AtlassianBackend.prototype, 'closeConnections').mockResolvedValue(undefined);
    const closeSmax = jest.spyOn(SmaxBackend.prototype, 'close').mockResolvedValue(undefined);
    try {
      for (const type of ['atlassian', 'smax', 'basic'] as const) {
        await settings.update({ WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: type });
        provider.onSettingsChanged({ keys: ['WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE'] });
        provider.current();
      }
      jest.advanceTimersByTime(600_000);

      expect(closeJira).not.toHaveBeenCalled();
      expect(closeSmax).not.toHaveBeenCalled();
    } finally {
      closeJira.mockRestore();
      closeSmax.mockRestore();
      jest.useRealTimers();
    }
  });

  it('takes the SMAX adapter from its provider', async () => {
    await settings.update({ WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'smax', SMAX_API_URL: 'https://smax.example.com/' });
    const backend = provider.current();
    expect(backend).toBeInstanceOf(SmaxBackend);
    expect(backend.name).toBe('smax');
    expect(backend).toBe(smax.current());
    await smax.onApplicationShutdown();
  });

  it('falls back to basic for an unknown type', async () => {
    await settings.update({ WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'freshdesk' } as never);
    expect(provider.current().name).toBe('basic');
  });

  it('answers 409 for an issue of another backend', () => {
    expect(() => provider.forIssue({ backendName: 'smax' })).toThrow(ConflictException);
    expect(() => provider.forIssue({ backendName: 'smax' })).toThrow(/belongs to the smax support backend/);
  });

  it('serves issues with no recorded backend', () => {
    expect(provider.forIssue({ backendName: null }).name).toBe('basic');
    expect(provider.servesIssue({ backendName: null })).toBe(true);
  });
});
