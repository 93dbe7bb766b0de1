import { FailedDependencyException } from '../../../common/errors/app.exception';
import { ZammadClient, ZAMMAD_PAGE_SIZE } from './zammad.client';
import { mapNamedRecords, ZammadNames } from './zammad.mapper';

const NAMES_TTL_MS = 5 * 60_000;

/**
 * Zammad data that changes rarely, cached for the life of the adapter: state and
 * priority names by id (refreshed every five minutes), the API token's user and the
 * default group. The adapter is rebuilt when Zammad settings change, which empties it.
 */
export class ZammadReferenceData {
  private cachedNames: { value: ZammadNames; expiresAt: number } | undefined;
  private integrationUser: Promise<number> | undefined;
  private group: Promise<string> | undefined;

  constructor(
    private readonly client: ZammadClient,
    private readonly configuredGroup: string,
    private readonly now: () => number = Date.now,
  ) {}

  async names(): Promise<ZammadNames> {
    if (this.cachedNames && this.cachedNames.expiresAt > this.now()) return this.cachedNames.value;
    const [states, priorities] = await Promise.all([this.client.listStates(), this.client.listPriorities()]);
    const value = { states: mapNamedRecords(states), priorities: mapNamedRecords(priorities) };
    this.cachedNames = { value, expiresAt: this.now() + NAMES_TTL_MS };
    return value;
  }

  /** Zammad user id of the API token (`GET /users/me`); the articles it creates are ours. */
  integrationUserId(): Promise<number> {
    this.integrationUser ??= this.client.getCurrentUser().then(
      (user) => user.id,
      (error: unknown) => {
        this.integrationUser = undefined;
        throw error;
      },
    );
    return this.integrationUser;
  }

  /** `ZAMMAD_GROUP`, or else the first active group Zammad lists, as the original integration did. */
  defaultGroup(): Promise<string> {
    if (this.configuredGroup) return Promise.resolve(this.configuredGroup);
    this.group ??= this.firstGroup().catch((error: unknown) => {
      this.group = undefined;
      throw error;
    });
    return this.group;
  }

  private async firstGroup(): Promise<string> {
    for (let page = 1; ; page += 1) {
      const groups = await this.client.listGroups(page);
      const active = groups.find((group) => group.active !== false && group.name);
      if (active) return active.name;
      if (groups.length < ZAMMAD_PAGE_SIZE) break;
    }
    throw new FailedDependencyException('Zammad lists no active group for new tickets. Create one or set ZAMMAD_GROUP.');
  }
}
