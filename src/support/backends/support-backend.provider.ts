import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import { ConflictException } from '../../common/errors/app.exception';
import { SettingsService } from '../../settings/settings.service';
import { assertNever } from '../common/assert-never';
import { BackendName } from '../common/backend-name';
import { activeBackendName, isFeedbackEnabled, issueKeyPrefix } from '../common/support-settings';
import type { Issue } from '../issues/issue.entity';
import { AtlassianBackendProvider } from './atlassian/atlassian-backend.provider';
import { BasicBackend } from './basic/basic.backend';
import { smaxOptionsFromSettings } from './smax/smax.config';
import { SmaxBackend } from './smax/smax.backend';
import { SupportBackend } from './support-backend';
import { ZammadAdapterProvider } from './zammad/zammad-adapter.provider';

/** The settings each backend is built from; a change to any of them rebuilds the adapter. */
const BACKEND_SETTING_KEYS: Record<BackendName, (key: string) => boolean> = {
  basic: (key) => key === 'SUPPORT_ISSUE_KEY_PREFIX',
  atlassian: (key) => key.startsWith('ATLASSIAN_'),
  zammad: (key) => key.startsWith('ZAMMAD_'),
  smax: (key) => key.startsWith('SMAX_'),
};

/**
 * Time a replaced adapter keeps its connections open, so operations that took it before the
 * change can finish. It exceeds the outbox's default delivery timeout of 60 seconds.
 */
const RETIRED_ADAPTER_GRACE_MS = 90_000;

/** An adapter that holds connections; `close` releases them. */
interface ClosableBackend {
  close(): Promise<void>;
}

export interface SettingsChangedEvent {
  keys: string[];
}

/**
 * The one place that picks the ticketing backend, from `WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE`
 * and that backend's own settings. The adapter is cached under a key made of those settings
 * and rebuilt when they change, so switching backends needs no restart.
 *
 * Callers take `current()` once per operation and keep that adapter to its end: adapters are
 * immutable, so one request sees one backend even if an admin switches it meanwhile.
 */
@Injectable()
export class SupportBackendProvider implements OnApplicationShutdown {
  private readonly logger = new Logger(SupportBackendProvider.name);
  private cached: { key: string; backend: SupportBackend } | undefined;
  /** Replaced adapters waiting for their grace period to end before they are closed. */
  private readonly retired = new Map<SupportBackend, NodeJS.Timeout>();

  constructor(
    private readonly settings: SettingsService,
    private readonly zammad: ZammadAdapterProvider,
    private readonly atlassian: AtlassianBackendProvider,
  ) {}

  current(): SupportBackend {
    const name = activeBackendName(this.settings);
    const key = this.cacheKey(name);
    if (this.cached?.key !== key) {
      if (this.cached) this.retire(this.cached.backend);
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
    if (relevant && this.cached) {
      this.retire(this.cached.backend);
      this.cached = undefined;
    }
  }

  /** Closes the active adapter and the replaced ones still in their grace period. */
  async onApplicationShutdown(): Promise<void> {
    const open = [...this.retired.keys()];
    for (const timer of this.retired.values()) clearTimeout(timer);
    this.retired.clear();
    if (this.cached) open.push(this.cached.backend);
    this.cached = undefined;
    await Promise.all(open.map((backend) => this.close(backend)));
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
        return new SmaxBackend(smaxOptionsFromSettings(this.settings.getAll()), {
          isFeedbackEnabled: () => isFeedbackEnabled(this.settings),
        });
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

  /** Closes a replaced adapter once operations that took it before the change had time to finish. */
  private retire(backend: SupportBackend): void {
    if (!isClosable(backend) || this.retired.has(backend)) return;
    const timer = setTimeout(() => {
      this.retired.delete(backend);
      void this.close(backend);
    }, RETIRED_ADAPTER_GRACE_MS);
    timer.unref();
    this.retired.set(backend, timer);
  }

  private async close(backend: SupportBackend): Promise<void> {
    if (!isClosable(backend)) return;
    try {
      await backend.close();
    } catch (error) {
      this.logger.warn(`Closing the ${backend.name} adapter failed: ${(error as Error).message}`);
    }
  }
}

function isClosable(backend: SupportBackend): backend is SupportBackend & ClosableBackend {
  return typeof (backend as Partial<ClosableBackend>).close === 'function';
}
