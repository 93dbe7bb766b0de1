import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import { ConflictException } from '../../common/errors/app.exception';
import { SettingsService } from '../../settings/settings.service';
import { assertNever } from '../common/assert-never';
import { BackendName } from '../common/backend-name';
import { activeBackendName, issueKeyPrefix } from '../common/support-settings';
import type { Issue } from '../issues/issue.entity';
import { AtlassianBackendProvider } from './atlassian/atlassian-backend.provider';
import { BasicBackend } from './basic/basic.backend';
import { SmaxAdapterProvider } from './smax/smax-adapter.provider';
import { SupportBackend } from './support-backend';
import { ZammadAdapterProvider } from './zammad/zammad-adapter.provider';

/** The settings each backend is built from; a change to any of them rebuilds the adapter. */
const BACKEND_SETTING_KEYS: Record<BackendName, (key: string) => boolean> = {
  basic: (key) => key === 'SUPPORT_ISSUE_KEY_PREFIX',
  atlassian: (key) => key.startsWith('ATLASSIAN_'),
  zammad: (key) => key.startsWith('ZAMMAD_'),
  smax: (key) => key.startsWith('SMAX_'),
};

export interface SettingsChangedEvent {
  keys: string[];
}

/**
 * The one place that picks the ticketing backend, from `WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE`
 * and that backend's own settings. The adapter is cached under a key made of those settings
 * and rebuilt when they change, so switching backends needs no restart.
 *
 * Callers take `current()` once per operation and keep that adapter to its end: adapters are
 * immutable, so one request sees one backend even if an admin switches it meanwhile. The
 * Jira, Zammad and SMAX adapters come from their own providers, which the sync plug-ins
 * share and which close the connections of replaced adapters.
 */
@Injectable()
export class SupportBackendProvider {
  private readonly logger = new Logger(SupportBackendProvider.name);
  private cached: { key: string; backend: SupportBackend } | undefined;

  constructor(
    private readonly settings: SettingsService,
    private readonly zammad: ZammadAdapterProvider,
    private readonly atlassian: AtlassianBackendProvider,
    private readonly smax: SmaxAdapterProvider,
  ) {}

  current(): SupportBackend {
    const name = activeBackendName(this.settings);
    const key = this.cacheKey(name);
    if (this.cached?.key !== key) {
      this.cached = { key, backend: this.build(name) };
      this.logger.log(`Support backend "${name}" is active`);
    }
    return this.cached.backend;
  }

  /**
   * The active backend, provided `issue` belongs to it. An issue stays with the backend it
   * was created in, so a write to an issue of another backend is a 409 naming that backend.
   * Issues with no recorded backend are served by whichever backend is active.
   */
  forIssue(issue: Pick<Issue, 'backendName'>): SupportBackend {
    const backend = this.current();
    if (issue.backendName && issue.backendName !== backend.name) {
      throw new ConflictException(
        `This issue belongs to the ${issue.backendName} support backend, which is no longer active ` +
          `(the active backend is ${backend.name}). Switch back to ${issue.backendName} to change it.`,
      );
    }
    return backend;
  }

  /** Whether writes to `issue` go through the active backend; false where `forIssue` would be a 409. */
  servesIssue(issue: Pick<Issue, 'backendName'>): boolean {
    return !issue.backendName || issue.backendName === this.current().name;
  }

  @OnEvent('settings.changed')
  onSettingsChanged(event: SettingsChangedEvent): void {
    const relevant = event.keys.some(
      (key) => key === 'WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE' || Object.values(BACKEND_SETTING_KEYS).some((matches) => matches(key)),
    );
    if (relevant) this.cached = undefined;
  }

  private cacheKey(name: BackendName): string {
    const matches = BACKEND_SETTING_KEYS[name];
    const values = Object.entries(this.settings.getAll())
      .filter(([key]) => matches(key))
      .sort(([left], [right]) => left.localeCompare(right));
    return JSON.stringify([name, values]);
  }

  private build(name: BackendName): SupportBackend {
    switch (name) {
      case 'basic':
        return new BasicBackend({ issueKeyPrefix: issueKeyPrefix(this.settings) });
      case 'smax':
        // Shared with the SMAX sync plug-ins, which also own its connections.
        return this.smax.current();
      case 'zammad':
        // Shared with the Zammad sync plug-ins, which also own its connections.
        return this.zammad.current();
      case 'atlassian':
        // Shared with the Jira sync plug-ins, which also own its connections.
        return this.atlassian.current();
      default:
        return assertNever(name);
    }
  }
}
