import { Logger } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, Not } from 'typeorm';

import { FailedDependencyException, ValidationFailedException } from '../../../common/errors/app.exception';
import { User } from '../../../identity/users/user.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { JiraClient } from './jira.client';
import { JiraError } from './jira.exception';
import { JiraAccountFields, mapUser, MapOptions } from './jira.mapper';

const BACKEND = 'atlassian';

/** The Jira customer an issue is raised for, and how JSM calls name it. */
export interface JiraCustomerReference {
  backendId: string;
  /** Body of `POST /rest/servicedeskapi/request/{key}/participant`. */
  participants: { accountIds: string[] } | { usernames: string[] };
  /** Set only with `ATLASSIAN_SHARED_USERNAME`, where our user names are Jira user names. */
  raiseOnBehalfOf?: string;
}

export interface JiraAccountsOptions extends MapOptions {
  useTeenageApi: boolean;
  sharedUsername: boolean;
}

/**
 * Jira accounts and our support users: finds or creates the service-desk customer of a
 * caller by e-mail, resolves comment and attachment authors to support users, and pulls
 * the service desk's agents.
 */
export class JiraAccounts {
  private readonly logger = new Logger(JiraAccounts.name);

  constructor(
    private readonly client: JiraClient,
    private readonly options: JiraAccountsOptions,
  ) {}

  /**
   * Finds the Jira customer for `caller`: the id stored on their support user, else an
   * active Jira account with exactly their e-mail, else a new portal customer. The id is
   * stored on the support user, so later issues skip the search.
   */
  async customerFor(manager: EntityManager, caller: User): Promise<JiraCustomerReference> {
    const supportUser = await this.supportUserOf(manager, caller);
    if (this.options.sharedUsername) {
      await this.linkAccount(manager, supportUser, caller.username);
      return { ...this.reference(caller.username), raiseOnBehalfOf: caller.username };
    }
    if (supportUser.backendId) return this.reference(supportUser.backendId);

    const email = caller.email.trim();
    if (!email) {
      throw ValidationFailedException.field('caller', 'The caller has no e-mail address, which Jira needs to find or create the service-desk customer.');
    }
    const account = (await this.findAccountByEmail(email)) ?? (await this.createCustomer(email, caller));
    await this.linkAccount(manager, supportUser, account.backendId);
    return this.reference(account.backendId);
  }

  /**
   * Finds the support user of a Jira account, or creates one named after it and linked to
   * our only user with the account's e-mail, if there is exactly one.
   */
  async supportUserFor(manager: EntityManager, account: JiraAccountFields): Promise<SupportUser> {
    const repository = manager.getRepository(SupportUser);
    const existing = await repository.findOne({ where: { backendName: BACKEND, backendId: account.backendId }, order: { isActive: 'DESC', id: 'ASC' } });
    if (existing) return existing;

    const userId = await this.matchingUserId(manager, account);
    await repository
      .createQueryBuilder()
      .insert()
      .values({ name: account.name, userId, backendName: BACKEND, backendId: account.backendId, isActive: true })
      .orIgnore()
      .execute();
    return repository.findOneOrFail({ where: { backendName: BACKEND, backendId: account.backendId }, order: { isActive: 'DESC', id: 'ASC' } });
  }

  /**
   * Mirrors the project's assignable users (the agents) as support users: adds new ones,
   * follows renames, reactivates returning ones, and deactivates the agents Jira no longer
   * lists. Rows linked to one of our users (callers' customer accounts, mapped agents)
   * are left active, because comments and participants route through them.
   * Returns the number of accounts read.
   */
  async pullSupportUsers(dataSource: DataSource, projectKey: string): Promise<number> {
    const accounts = (await this.client.assignableUsers(projectKey))
      .map((user) => mapUser(user, this.options))
      .filter((account): account is JiraAccountFields => account !== null && account.active);

    await dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(SupportUser);
      for (const account of accounts) {
        const existing = await repository.findOne({ where: { backendName: BACKEND, backendId: account.backendId }, order: { isActive: 'DESC', id: 'ASC' } });
        if (!existing) {
          const userId = await this.matchingUserId(manager, account);
          await repository.save(repository.create({ name: account.name, userId, backendName: BACKEND, backendId: account.backendId, isActive: true }));
          continue;
        }
        const changes: Partial<SupportUser> = {};
        if (existing.name !== account.name) changes.name = account.name;
        if (!existing.isActive) changes.isActive = true;
        if (Object.keys(changes).length > 0) await repository.update({ id: existing.id }, changes);
      }
      const listed = accounts.map((account) => account.backendId);
      await repository.update(
        { backendName: BACKEND, backendId: listed.length > 0 ? Not(In(listed)) : Not(IsNull()), userId: IsNull(), isActive: true },
        { isActive: false },
      );
    });
    return accounts.length;
  }

  private reference(backendId: string): JiraCustomerReference {
    return { backendId, participants: this.options.useOldApi ? { usernames: [backendId] } : { accountIds: [backendId] } };
  }

  /**
   * The active Jira account whose e-mail is exactly `email`; Jira's search also returns
   * prefix matches. Throws when every such account is deactivated.
   */
  private async findAccountByEmail(email: string): Promise<JiraAccountFields | undefined> {
    const plainSearch = this.options.useOldApi || this.options.useTeenageApi;
    const users = await this.client.searchUsers(email, { useUsername: plainSearch, includeInactive: !plainSearch });
    const expected = email.toLowerCase();
    const matches = users
      .map((user) => mapUser(user, this.options))
      .filter((account): account is JiraAccountFields => account !== null && account.email?.toLowerCase() === expected);
    if (matches.length === 0) return undefined;
    const active = matches.find((account) => account.active);
    if (!active) throw ValidationFailedException.field('caller', `The Jira account of ${email} is deactivated, so Jira issues cannot be raised for this caller.`);
    return active;
  }

  private async createCustomer(email: string, caller: User): Promise<JiraAccountFields> {
    const name = caller.fullName.trim() || caller.username;
    try {
      const created = await this.client.createCustomer(email, name, this.options.useOldApi);
      const account = mapUser(created, this.options);
      if (!account) throw new FailedDependencyException(`Jira created a customer for ${email} but returned no account id.`);
      this.logger.log(`Created Jira customer ${account.backendId} for user ${caller.uuid}`);
      return account;
    } catch (error) {
      if (error instanceof JiraError && error.status === 400) {
        throw new FailedDependencyException(
          `Jira refused to create a customer for ${email} (${error.remoteMessage ?? 'no message'}). ` +
            'If an account with this e-mail exists but hides its address, link it to the caller in Jira first.',
        );
      }
      throw error;
    }
  }

  /** Finds the user's support user for Jira, or creates it on first use. */
  private async supportUserOf(manager: EntityManager, user: User): Promise<SupportUser> {
    const repository = manager.getRepository(SupportUser);
    const rows = await repository.find({ where: { userId: user.id, backendName: BACKEND }, order: { isActive: 'DESC', id: 'ASC' } });
    const chosen = rows.find((row) => row.isActive && row.backendId) ?? rows[0];
    if (chosen) return chosen;
    const name = (user.fullName.trim() || user.username).slice(0, 150);
    return repository.save(repository.create({ name, userId: user.id, backendName: BACKEND, backendId: null, isActive: true }));
  }

  /**
   * Records the Jira id on `supportUser`. When another active support user already has that
   * id (an agent pulled earlier, not linked yet), that one is linked to our user instead,
   * because only one active row may carry an id. Throws when it is linked to another user.
   */
  private async linkAccount(manager: EntityManager, supportUser: SupportUser, backendId: string): Promise<void> {
    if (supportUser.backendId === backendId) return;
    const repository = manager.getRepository(SupportUser);
    const holder = await repository.findOneBy({ backendName: BACKEND, backendId, isActive: true });
    if (holder && holder.id !== supportUser.id) {
      if (holder.userId === null) {
        await repository.update({ id: holder.id }, { userId: supportUser.userId });
        return;
      }
      if (holder.userId !== supportUser.userId) {
        throw ValidationFailedException.field('caller', 'The Jira account with the caller\'s e-mail is already linked to another user.');
      }
      return;
    }
    await repository.update({ id: supportUser.id }, { backendId, isActive: true });
    supportUser.backendId = backendId;
  }

  /** Our only user with the account's e-mail, or null when there is none or more than one. */
  private async matchingUserId(manager: EntityManager, account: JiraAccountFields): Promise<number | null> {
    if (!account.email) return null;
    const users = await manager
      .getRepository(User)
      .createQueryBuilder('user')
      .where('lower(user.email) = lower(:email)', { email: account.email })
      .limit(2)
      .getMany();
    return users.length === 1 ? users[0].id : null;
  }
}
