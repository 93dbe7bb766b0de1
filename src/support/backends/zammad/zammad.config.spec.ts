import { settingDefaults } from '../../../settings/settings.registry';
import { missingZammadSettings, zammadSettingsFrom } from './zammad.config';

describe('zammadSettingsFrom', () => {
  it('reads the defaults', () => {
    expect(zammadSettingsFrom(settingDefaults())).toEqual({
      apiUrl: '',
      token: '',
      group: '',
      articleType: 'email',
      commentMarker: 'Created by Waldur',
      commentPrefix: 'User: {name}',
      commentCooldownMinutes: 5,
      webhookSecret: '',
      siteName: 'Deskbridge',
    });
  });

  it('trims the URL and token', () => {
    const settings = zammadSettingsFrom({ ...settingDefaults(), ZAMMAD_API_URL: ' https://zammad.example.com ', ZAMMAD_TOKEN: ' abc ' });

    expect(settings.apiUrl).toBe('https://zammad.example.com');
    expect(settings.token).toBe('abc');
  });
});

describe('missingZammadSettings', () => {
  it('names both missing settings', () => {
    expect(missingZammadSettings(zammadSettingsFrom(settingDefaults()))).toEqual(['ZAMMAD_API_URL', 'ZAMMAD_TOKEN']);
  });

  it('is empty when configured', () => {
    const settings = zammadSettingsFrom({ ...settingDefaults(), ZAMMAD_API_URL: 'https://zammad.example.com', ZAMMAD_TOKEN: 'abc' });

    expect(missingZammadSettings(settings)).toEqual([]);
  });
});
