import { Logger } from '@nestjs/common';

import { inMemorySettings } from '../../../../test/support/in-memory-settings';
import { SettingsService } from '../../../settings/settings.service';
import { SmaxAdapterProvider } from './smax-adapter.provider';
import { SmaxBackend } from './smax.backend';

describe('SmaxAdapterProvider', () => {
  let settings: SettingsService;
  let provider: SmaxAdapterProvider;
  let close: jest.SpyInstance;

  beforeAll(() => {
    // The provider logs each rebuild; outside an app that would go to the console.
    Logger.overrideLogger(false);
  });

  beforeEach(() => {
    settings = inMemorySettings();
    provider = new SmaxAdapterProvider(settings);
    jest.useFakeTimers();
    close = jest.spyOn(SmaxBackend.prototype, 'close').mockResolvedValue(undefined);
  });

  afterEach(() => {
    close.mockRestore();
    jest.useRealTimers();
  });

  function closedAdapters(): unknown[] {
    return close.mock.contexts;
  }

  it('builds the adapter whichever backend is active', async () => {
    await settings.update({ WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'zammad' });

    expect(provider.current()).toBeInstanceOf(SmaxBackend);
    expect(provider.current()).toBe(provider.current());
  });

  it('names the connection settings still missing', async () => {
    expect(provider.missingSettings()).toEqual(['SMAX_API_URL', 'SMAX_TENANT_ID', 'SMAX_LOGIN', 'SMAX_PASSWORD']);

    await settings.update({ SMAX_API_URL: 'https://smax.example.com/', SMAX_TENANT_ID: '100000000', SMAX_LOGIN: 'bot', SMAX_PASSWORD: 'secret' });

    expect(provider.missingSettings()).toEqual([]);
  });

  it('closes a replaced adapter after its grace period', async () => {
    const first = provider.current();
    await settings.update({ SMAX_LOGIN: 'other-bot' });
    const second = provider.current();

    jest.advanceTimersByTime(89_000);
    expect(closedAdapters()).toEqual([]);
    jest.advanceTimersByTime(1_000);
    expect(closedAdapters()).toEqual([first]);
    expect(second).not.toBe(first);
  });

  it('closes the current and replaced adapters on shutdown', async () => {
    const first = provider.current();
    await settings.update({ SMAX_LOGIN: 'other-bot' });
    const second = provider.current();

    await provider.onApplicationShutdown();

    expect(closedAdapters()).toEqual([first, second]);
  });
});
