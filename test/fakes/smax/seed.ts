import { EmsProperties } from './smax-types';

/** Accounts that can log in; each acts as the Person with the given Id. */
export interface FakeUser {
  login: string;
  password: string;
  personId: string;
}

/** The integration account the service under test logs in with. */
export const INTEGRATION_USER: FakeUser = { login: 'smax-bot', password: 'fake-smax-password', personId: '10001' };

/** A service-desk agent who works through the normal EMS and collaboration APIs. */
export const AGENT_USER: FakeUser = { login: 'smax-agent', password: 'fake-agent-password', personId: '10002' };

export const FAKE_USERS: readonly FakeUser[] = [INTEGRATION_USER, AGENT_USER];

/** Persons present after start and after every reset, in Id order (10001, 10002, 10003). */
export const SEED_PERSONS: readonly EmsProperties[] = [
  {
    FirstName: 'Deskbridge',
    LastName: 'Integration',
    Name: 'Deskbridge Integration',
    Email: 'smax-bot@example.com',
    Upn: 'smax-bot',
    ExternalId: 'EXT-SMAX-BOT',
    IsSystemIntegration: true,
  },
  {
    FirstName: 'Agent',
    LastName: 'One',
    Name: 'Agent One',
    Email: 'agent.one@example.com',
    Upn: 'smax-agent',
    ExternalId: 'EXT-AGENT-ONE',
    IsSystemIntegration: false,
  },
  {
    FirstName: 'Customer',
    LastName: 'One',
    Name: 'Customer One',
    Email: 'customer.one@example.com',
    Upn: 'customer.one',
    ExternalId: 'EXT-CUSTOMER-ONE',
    IsSystemIntegration: false,
  },
];

/** Request categories present after start and after every reset (Ids 20001, 20002, 20003). */
export const SEED_CATEGORIES: readonly EmsProperties[] = [
  { DisplayLabel: 'Access' },
  { DisplayLabel: 'Hardware' },
  { DisplayLabel: 'Software' },
];
