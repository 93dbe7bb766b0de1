import { Global, Injectable, Module } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

// NOTE: placeholder until the runtime settings module lands: values live in memory only.
const DEFAULTS: Record<string, unknown> = {
  WALDUR_SUPPORT_ENABLED: true,
  WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'basic',
  WALDUR_SUPPORT_DISPLAY_REQUEST_TYPE: true,
  ATLASSIAN_ISSUE_TYPES: 'Informational, Service Request, Change Request, Incident',
  ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES: '',
  ATLASSIAN_MAP_WALDUR_USERS_TO_SERVICEDESK_AGENTS: false,
  SUPPORT_ATTACHMENT_MAX_SIZE_MB: 25,
  SUPPORT_ISSUE_KEY_PREFIX: 'SUP',
  SUPPORT_PULL_INTERVAL_MINUTES: 10,
  ISSUE_FEEDBACK_ENABLE: true,
  ISSUE_FEEDBACK_TOKEN_PERIOD: 7,
  HOMEPORT_URL: 'http://localhost:8001/',
  SITE_NAME: 'Deskbridge',
};

@Injectable()
export class SettingsService {
  private readonly values = new Map<string, unknown>(Object.entries(DEFAULTS));

  constructor(private readonly events: EventEmitter2) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get(key: string): any {
    return this.values.get(key);
  }

  getAll(): Record<string, unknown> {
    return Object.fromEntries(this.values);
  }

  async update(changes: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(changes)) this.values.set(key, value);
    this.events.emit('settings.changed', { keys: Object.keys(changes) });
  }
}

@Global()
@Module({ providers: [SettingsService], exports: [SettingsService] })
export class SettingsModule {}
