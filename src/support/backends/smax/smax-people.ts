import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { User } from '../../../identity/users/user.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { readAfterCreate, ReadAfterCreateWait } from './read-after-create';
import { NewPersonInput, SmaxClient, SmaxPerson } from './smax.client';

const BACKEND_NAME = 'smax';

/** Maximum length of a support-user name in our table. */
const MAX_SUPPORT_USER_NAME = 150;

/**
 * Links our users and support users to SMAX Persons: finds a Person by email or creates
 * one, and gives each Person met in a pull a support user of ours.
 */
export class SmaxPeople {
  private readonly logger = new Logger(SmaxPeople.name);
  private integrationPerson: Promise<SmaxPerson | undefined> | undefined;

  constructor(
    private readonly client: SmaxClient,
    private readonly wait: ReadAfterCreateWait,
  ) {}

  /**
   * Returns the Person Id of a support user. A SMAX support user without one gets the Person
   * of its linked user, found or created by email, and keeps that Id. Returns undefined for a
   * support user with neither.
   */
  async personIdFor(supportUser: SupportUser, manager: EntityManager): Promise<string | undefined> {
    if (supportUser.backendName === BACKEND_NAME && supportUser.backendId) return supportUser.backendId;
    if (supportUser.userId === null) return undefined;
    const user = await manager.findOneBy(User, { id: supportUser.userId });
    if (!user) return undefined;

    const personId = await this.personIdForUser(user);
    if (supportUser.backendName === BACKEND_NAME || supportUser.backendName === null) {
      await manager.update(SupportUser, supportUser.id, { backendId: personId, backendName: BACKEND_NAME });
      supportUser.backendId = personId;
      supportUser.backendName = BACKEND_NAME;
    }
    return personId;
  }

  /** Finds the Person with the user's email, or creates one and waits until queries show it. */
  async personIdForUser(user: User): Promise<string> {
    const email = user.email.trim();
    const existing = await this.findByEmail(email);
    if (existing) return existing.id;

    const input = personInputFor(user);
    const id = await this.client.createPerson(input);
    const visible = await readAfterCreate(this.wait, () => this.client.findPersonById(id));
    if (!visible) {
      // NOTE: a Person that queries do not show yet is still referenced by Id; SMAX checks it on the next write.
      this.logger.warn(`SMAX Person ${id} for ${email} is not visible to queries after ${this.wait.attempts} reads; using its Id anyway`);
    }
    this.logger.log(`Created SMAX Person ${id} for user ${user.uuid}`);
    return id;
  }

  /** Returns the Id of the Person the integration logs in as, found once by UPN or email equal to the login. */
  integrationPersonId(): Promise<string | undefined> {
    this.integrationPerson ??= this.findIntegrationPerson().catch((error: unknown) => {
      this.integrationPerson = undefined;
      throw error;
    });
    return this.integrationPerson.then((person) => person?.id);
  }

  /**
   * Returns our support user for a Person, creating one named after the Person when none
   * exists. Rows linked to one of our users win over unlinked ones. `known` caches the
   * results of one pull.
   */
  async supportUserForPerson(personId: string, manager: EntityManager, known: Map<string, SupportUser>): Promise<SupportUser> {
    const cached = known.get(personId);
    if (cached) return cached;

    const rows = await manager.find(SupportUser, { where: { backendName: BACKEND_NAME, backendId: personId }, order: { id: 'ASC' } });
    let supportUser = rows.find((row) => row.userId !== null && row.isActive) ?? rows.find((row) => row.isActive) ?? rows[0];
    if (!supportUser) {
      const person = await this.client.findPersonById(personId);
      const name = person?.name ?? person?.email ?? `SMAX person ${personId}`;
      supportUser = await manager.save(
        manager.create(SupportUser, {
          name: name.slice(0, MAX_SUPPORT_USER_NAME),
          backendId: personId,
          backendName: BACKEND_NAME,
          isActive: true,
          userId: null,
        }),
      );
    }
    known.set(personId, supportUser);
    return supportUser;
  }

  /**
   * Finds the Person an attachment entry's `Creator` names: by `ExternalId` first (what
   * Waldur writes), then by Id (what some tenants write).
   */
  async findCreator(creator: string): Promise<SmaxPerson | undefined> {
    return (await this.client.findPersonByExternalId(creator)) ?? (await this.client.findPersonById(creator));
  }

  /** Returns the `Creator` value for a Person's uploads: its `ExternalId`, or its Id when it has none. */
  async creatorValueFor(personId: string): Promise<string> {
    const person = await this.client.findPersonById(personId);
    return person?.externalId ?? personId;
  }

  private async findByEmail(email: string): Promise<SmaxPerson | undefined> {
    const exact = await this.client.findPersonByEmail(email);
    if (exact || email === email.toLowerCase()) return exact;
    return this.client.findPersonByEmail(email.toLowerCase());
  }

  private async findIntegrationPerson(): Promise<SmaxPerson | undefined> {
    const login = this.client.login;
    return (await this.client.findPersonByUpn(login)) ?? (await this.client.findPersonByEmail(login));
  }
}

/**
 * Splits the user's name for a new Person: the first word is the first name and the rest
 * the last name. SMAX requires a last name, so a one-word name becomes the last name and a
 * user without a name gets the local part of the email.
 */
export function personInputFor(user: Pick<User, 'email' | 'fullName' | 'firstName' | 'lastName' | 'username'>): NewPersonInput {
  const email = user.email.trim();
  const fullName = user.fullName.trim() || `${user.firstName} ${user.lastName}`.trim() || user.username.trim();
  const words = fullName.split(/\s+/).filter((word) => word !== '');
  if (words.length >= 2) return { firstName: words[0], lastName: words.slice(1).join(' '), email };
  if (words.length === 1) return { firstName: undefined, lastName: words[0], email };
  return { firstName: undefined, lastName: email.split('@')[0] || email, email };
}
