import { Logger } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, Not } from 'typeorm';

import { ValidationFailedException } from '../../../common/errors/app.exception';
import { Customer } from '../../../identity/customers/customer.entity';
import { User } from '../../../identity/users/user.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { ZammadClient } from './zammad.client';
import { ZammadError } from './zammad.exception';
import { mapUser, ZammadAccountFields } from './zammad.mapper';
import type { ZammadUser } from './zammad.types';

const BACKEND = 'zammad';

/** Customer reference of a new ticket: a known Zammad user id, or `guess:<email>` for Zammad to find or create. */
export type ZammadCustomerReference = number | `guess:${string}`;

/**
 * Zammad users and our support users: finds or creates the Zammad customer of a caller
 * by e-mail, resolves article authors to support users, and pulls the user list.
 */
export class ZammadAccounts {
  private readonly logger = new Logger(ZammadAccounts.name);

  constructor(private readonly client: ZammadClient) {}

  /**
   * Finds the Zammad customer for `user`: the id stored on their support user, else a
   * Zammad user with exactly their e-mail, else a new one (in the organisation named
   * after `customer`). The id is stored on the support user. When search has not caught
   * up with a user created a moment ago and Zammad rejects the duplicate e-mail, this
   * returns `guess:<email>`, which Zammad resolves on its database.
   */
  async customerFor(manager: EntityManager, user: User, customer: Customer | null): Promise<ZammadCustomerReference> {
    const supportUser = await this.supportUserOf(manager, user);
    if (supportUser.backendId) return Number(supportUser.backendId);

    const email = user.email.trim();
    if (!email) {
      throw ValidationFailedException.nonField(
        `User ${user.username} has no e-mail address, which Zammad needs to find or create the ticket's customer.`,
      );
    }
    let zammadUser = await this.findUserByEmail(email);
    if (!zammadUser) {
      try {
        zammadUser = await this.client.createUser({
          login: email,
          email,
          firstname: user.firstName.trim() || user.username,
          lastname: user.lastName.trim(),
          organization: customer ? await this.organizationNameFor(customer) : undefined,
        });
        this.logger.log(`Created Zammad user ${zammadUser.id} for user ${user.uuid}`);
      } catch (error) {
        if (error instanceof ZammadError && error.status === 422 && /already/i.test(error.remoteMessage ?? '')) return `guess:${email}`;
        throw error;
      }
    }
    await this.linkAccount(manager, supportUser, mapUser(zammadUser));
    return zammadUser.id;
  }

  /** Stores the Zammad user id that Zammad chose for a `guess:` customer. */
  async rememberCustomer(manager: EntityManager, user: User, zammadUserId: number): Promise<void> {
    const supportUser = await this.supportUserOf(manager, user);
    if (supportUser.backendId) return;
    const account = { backendId: String(zammadUserId), name: supportUser.name, login: '', email: user.email, active: true };
    await this.linkAccount(manager, supportUser, account);
  }

  /** Reads a Zammad user; one that is gone or hidden from the token becomes a placeholder account. */
  async fetchAccount(zammadUserId: number): Promise<ZammadAccountFields> {
    try {
      return mapUser(await this.client.getUser(zammadUserId));
    } catch (error) {
      if (error instanceof ZammadError && (error.status === 404 || error.status === 403)) {
        this.logger.warn(`Zammad user ${zammadUserId} could not be read, so its support user gets a placeholder name: ${error.message}`);
        return placeholderAccount(zammadUserId);
      }
      throw error;
    }
  }

  /**
   * Finds the support user of a Zammad account, or creates one named after it. A new row
   * is linked to our user whose username is the login, or else to the only user with that
   * e-mail. Concurrent calls for one account create one row.
   */
  async supportUserForAccount(manager: EntityManager, account: ZammadAccountFields): Promise<SupportUser> {
    const repository = manager.getRepository(SupportUser);
    const where = { backendName: BACKEND, backendId: account.backendId };
    const existing = await repository.findOne({ where, order: { isActive: 'DESC', id: 'ASC' } });
    if (existing) return existing;

    const userId = await this.matchingUserId(manager, account);
    await repository
      .createQueryBuilder()
      .insert()
      .values({ name: account.name, userId, backendName: BACKEND, backendId: account.backendId, isActive: true })
      .orIgnore()
      .execute();
    return repository.findOneOrFail({ where, order: { isActive: 'DESC', id: 'ASC' } });
  }

  /**
   * Reads every Zammad user page by page and mirrors them as support users. New ones are
   * added, names follow Zammad and missing links to our users are filled in. Support
   * users of accounts that Zammad no longer lists, or lists as inactive, are deactivated.
   * Returns the number of accounts read.
   */
  async pullSupportUsers(dataSource: DataSource): Promise<number> {
    const accounts: ZammadAccountFields[] = [];
    for (let page = 1; ; page += 1) {
      const users = await this.client.listUsers(page);
      accounts.push(...users.filter((user) => user.id !== 1 && user.login !== '-').map(mapUser));
      if (users.length < 100) break;
    }

    await dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(SupportUser);
      const active = accounts.filter((account) => account.active);
      for (const account of active) {
        const existing = await repository.findOne({
          where: { backendName: BACKEND, backendId: account.backendId },
          order: { isActive: 'DESC', id: 'ASC' },
        });
        if (!existing) {
          const userId = await this.matchingUserId(manager, account);
          await repository.save(repository.create({ name: account.name, userId, backendName: BACKEND, backendId: account.backendId, isActive: true }));
          continue;
        }
        const changes: Partial<SupportUser> = {};
        if (existing.name !== account.name) changes.name = account.name;
        if (!existing.isActive) changes.isActive = true;
        if (existing.userId === null) {
          const userId = await this.matchingUserId(manager, account);
          if (userId !== null) changes.userId = userId;
        }
        if (Object.keys(changes).length > 0) await repository.update({ id: existing.id }, changes);
      }
      const activeIds = active.map((account) => account.backendId);
      await repository.update(
        { backendName: BACKEND, backendId: activeIds.length > 0 ? Not(In(activeIds)) : Not(IsNull()), isActive: true },
        { isActive: false },
      );
    });
    return accounts.length;
  }

  /** Finds the user's support user for Zammad, or creates it on first use. */
  private async supportUserOf(manager: EntityManager, user: User): Promise<SupportUser> {
    const repository = manager.getRepository(SupportUser);
    const rows = await repository.find({ where: { userId: user.id, backendName: BACKEND }, order: { isActive: 'DESC', id: 'ASC' } });
    const chosen = rows.find((row) => row.isActive && row.backendId) ?? rows[0];
    if (chosen) return chosen;
    const name = (user.fullName.trim() || user.username).slice(0, 150);
    return repository.save(repository.create({ name, userId: user.id, backendName: BACKEND, backendId: null, isActive: true }));
  }

  /**
   * Records the Zammad id on `supportUser`. When another active support user already has
   * that id (pulled before, not yet linked), that one is linked to the user instead,
   * because the id may be held by one active row only.
   */
  private async linkAccount(manager: EntityManager, supportUser: SupportUser, account: ZammadAccountFields): Promise<void> {
    const repository = manager.getRepository(SupportUser);
    const holder = await repository.findOneBy({ backendName: BACKEND, backendId: account.backendId, isActive: true });
    if (holder && holder.id !== supportUser.id) {
      if (holder.userId === null) await repository.update({ id: holder.id }, { userId: supportUser.userId });
      return;
    }
    await repository.update({ id: supportUser.id }, { backendId: account.backendId });
    supportUser.backendId = account.backendId;
  }

  /** The Zammad user whose e-mail (or login) is exactly `email`; search also returns partial matches. */
  private async findUserByEmail(email: string): Promise<ZammadUser | undefined> {
    const expected = email.toLowerCase();
    const matches = (await this.client.searchUsers(email)).filter(
      (candidate) => (candidate.email ?? '').toLowerCase() === expected || (candidate.login ?? '').toLowerCase() === expected,
    );
    return matches.sort((left, right) => left.id - right.id)[0];
  }

  /** The Zammad organisation named like our customer, created when missing; returns its name. */
  private async organizationNameFor(customer: Customer): Promise<string> {
    const name = customer.name.trim();
    const found = (await this.client.searchOrganizations(name)).find((organization) => organization.name === name);
    if (found) return found.name;
    try {
      return (await this.client.createOrganization(name)).name;
    } catch (error) {
      // A concurrent create (or a search index that lags) leaves the name taken; it exists then.
      if (error instanceof ZammadError && error.status === 422) return name;
      throw error;
    }
  }

  /** Our user with the account's login as username, else the only one with its e-mail. */
  private async matchingUserId(manager: EntityManager, account: ZammadAccountFields): Promise<number | null> {
    const users = manager.getRepository(User);
    if (account.login) {
      const byUsername = await users.findOneBy({ username: account.login });
      if (byUsername) return byUsername.id;
    }
    if (!account.email) return null;
    const byEmail = await users
      .createQueryBuilder('user')
      .where('lower(user.email) = lower(:email)', { email: account.email })
      .limit(2)
      .getMany();
    return byEmail.length === 1 ? byEmail[0].id : null;
  }
}

/** Account of a Zammad user that cannot be read, named after its id. */
export function placeholderAccount(zammadUserId: number): ZammadAccountFields {
  return mapUser({ id: zammadUserId, firstname: 'Zammad user', lastname: String(zammadUserId) });
}
