import type { Clock } from './clock';
import { formatJiraTimestamp, jsmDate, type JsmDate } from './dates';
import type { FakeJiraSettings } from './options';
import type { UserRecord } from './seed';
import type { FakeJiraStore } from './store';

/**
 * What every JSON renderer needs: the state, the settings, the clock and the
 * base URL of `self` links. Under the OAuth gateway the base URL includes
 * `/ex/jira/{cloudId}`, as real gateway responses do.
 */
export class ViewContext {
  constructor(
    readonly store: FakeJiraStore,
    readonly settings: FakeJiraSettings,
    readonly clock: Clock,
    readonly baseUrl: string,
  ) {}

  withBaseUrl(baseUrl: string): ViewContext {
    return new ViewContext(this.store, this.settings, this.clock, baseUrl);
  }

  get isCloud(): boolean {
    return this.settings.flavour === 'cloud';
  }

  timestamp(ms: number): string {
    return formatJiraTimestamp(ms, this.settings.timeZone);
  }

  nullableTimestamp(ms: number | null): string | null {
    return ms === null ? null : this.timestamp(ms);
  }

  jsmDate(ms: number): JsmDate {
    return jsmDate(ms, this.clock.now(), this.settings.timeZone);
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  avatarUrls(user: UserRecord): Record<string, string> {
    const owner = encodeURIComponent(this.isCloud ? user.accountId : user.key);
    const sizes: Array<[string, string]> = [
      ['48x48', 'large'],
      ['24x24', 'small'],
      ['16x16', 'xsmall'],
      ['32x32', 'medium'],
    ];
    return Object.fromEntries(sizes.map(([label, size]) => [label, this.url(`/secure/useravatar?size=${size}&ownerId=${owner}`)]));
  }

  userSelf(user: UserRecord): string {
    return this.isCloud
      ? this.url(`/rest/api/2/user?accountId=${encodeURIComponent(user.accountId)}`)
      : this.url(`/rest/api/2/user?username=${encodeURIComponent(user.name)}`);
  }

  /** Renders a user as the platform API does: `accountId` on Cloud, `name` and `key` on Data Center. */
  user(user: UserRecord): Record<string, unknown> {
    const email = user.emailHidden && this.isCloud ? {} : { emailAddress: user.emailAddress };
    if (this.isCloud) {
      return {
        self: this.userSelf(user),
        accountId: user.accountId,
        ...email,
        avatarUrls: this.avatarUrls(user),
        displayName: user.displayName,
        active: user.active,
        timeZone: user.timeZone,
        accountType: user.accountType,
      };
    }
    return {
      self: this.userSelf(user),
      name: user.name,
      key: user.key,
      ...email,
      avatarUrls: this.avatarUrls(user),
      displayName: user.displayName,
      active: user.active,
      timeZone: user.timeZone,
    };
  }

  userById(accountId: string | null): Record<string, unknown> | null {
    const user = this.store.user(accountId);
    return user ? this.user(user) : null;
  }

  /** Renders a user as Service Management does, with `_links` in place of `self`. */
  jsmUser(user: UserRecord): Record<string, unknown> {
    const identity = this.isCloud ? { accountId: user.accountId } : { key: user.key, name: user.name };
    const email = user.emailHidden && this.isCloud ? {} : { emailAddress: user.emailAddress };
    return {
      ...identity,
      ...email,
      displayName: user.displayName,
      active: user.active,
      timeZone: user.timeZone,
      _links: { jiraRest: this.userSelf(user), avatarUrls: this.avatarUrls(user), self: this.userSelf(user) },
    };
  }

  /** Wraps a list in the Service Management page envelope. */
  jsmPage(values: unknown[], start: number, limit: number, isLastPage: boolean, selfPath: string): Record<string, unknown> {
    return {
      size: values.length,
      start,
      limit,
      isLastPage,
      _links: { base: this.baseUrl, context: '', self: this.url(selfPath) },
      values,
    };
  }
}
