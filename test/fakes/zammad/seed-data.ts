import type {
  ArticleSenderRecord,
  ArticleTypeRecord,
  GroupRecord,
  OrganizationRecord,
  PriorityRecord,
  RoleRecord,
  StateRecord,
  StateTypeRecord,
  Timestamp,
  UserRecord,
} from './types';

/** Access tokens accepted by the fake, each bound to a seeded user. */
export const FAKE_TOKENS = {
  /** Integration user with the Admin and Agent roles. */
  integration: 'fake-zammad-token',
  /** Agent without admin rights, the person who works on tickets. */
  agent: 'fake-agent-token',
  /** Customer who may only see their own tickets and public articles. */
  customer: 'fake-customer-token',
} as const;

/** Password of every seeded person, for HTTP Basic authentication. */
export const FAKE_PASSWORD = 'fake-password';

export const SYSTEM_USER_ID = 1;
export const INTEGRATION_USER_ID = 2;
export const AGENT_USER_ID = 3;
export const CUSTOMER_USER_ID = 4;

export const ROLE_ADMIN = 1;
export const ROLE_AGENT = 2;
export const ROLE_CUSTOMER = 3;

// Ids and names of roles, state types, states, priorities, article types and senders
// follow the seeds of zammad/zammad (db/seeds/*.rb).
export const ROLES: RoleRecord[] = [
  { id: ROLE_ADMIN, name: 'Admin' },
  { id: ROLE_AGENT, name: 'Agent' },
  { id: ROLE_CUSTOMER, name: 'Customer' },
];

export const STATE_TYPES: StateTypeRecord[] = [
  { id: 1, name: 'new' },
  { id: 2, name: 'open' },
  { id: 3, name: 'pending reminder' },
  { id: 4, name: 'pending action' },
  { id: 5, name: 'closed' },
  { id: 6, name: 'merged' },
  { id: 7, name: 'removed' },
];

export const ARTICLE_TYPES: ArticleTypeRecord[] = [
  { id: 1, name: 'email', communication: true },
  { id: 2, name: 'sms', communication: true },
  { id: 3, name: 'chat', communication: true },
  { id: 4, name: 'fax', communication: true },
  { id: 5, name: 'phone', communication: true },
  { id: 6, name: 'twitter status', communication: true },
  { id: 7, name: 'twitter direct-message', communication: true },
  { id: 8, name: 'facebook feed post', communication: true },
  { id: 9, name: 'facebook feed comment', communication: true },
  { id: 10, name: 'note', communication: false },
  { id: 11, name: 'web', communication: true },
  { id: 12, name: 'telegram personal-message', communication: true },
];

export const ARTICLE_SENDERS: ArticleSenderRecord[] = [
  { id: 1, name: 'Agent' },
  { id: 2, name: 'Customer' },
  { id: 3, name: 'System' },
];

export function seedStates(at: Timestamp): StateRecord[] {
  const state = (
    id: number,
    name: string,
    stateTypeId: number,
    extra: Partial<StateRecord> = {},
  ): StateRecord => ({
    id,
    state_type_id: stateTypeId,
    name,
    next_state_id: null,
    ignore_escalation: false,
    default_create: false,
    default_follow_up: false,
    note: null,
    active: true,
    updated_by_id: SYSTEM_USER_ID,
    created_by_id: SYSTEM_USER_ID,
    created_at: at,
    updated_at: at,
    ...extra,
  });
  return [
    state(1, 'new', 1, { default_create: true }),
    state(2, 'open', 2, { default_follow_up: true }),
    state(3, 'pending reminder', 3, { ignore_escalation: true }),
    state(4, 'closed', 5, { ignore_escalation: true }),
    state(5, 'merged', 6, { ignore_escalation: true }),
    state(6, 'removed', 7, { ignore_escalation: true, active: false }),
    state(7, 'pending close', 4, { ignore_escalation: true, next_state_id: 4 }),
  ];
}

export function seedPriorities(at: Timestamp): PriorityRecord[] {
  const priority = (id: number, name: string, defaultCreate: boolean): PriorityRecord => ({
    id,
    name,
    default_create: defaultCreate,
    ui_icon: null,
    ui_color: null,
    note: null,
    active: true,
    updated_by_id: SYSTEM_USER_ID,
    created_by_id: SYSTEM_USER_ID,
    created_at: at,
    updated_at: at,
  });
  return [priority(1, '1 low', false), priority(2, '2 normal', true), priority(3, '3 high', false)];
}

export function seedGroups(at: Timestamp): GroupRecord[] {
  const group = (id: number, name: string, note: string): GroupRecord => ({
    id,
    signature_id: null,
    email_address_id: null,
    name,
    name_last: name,
    parent_id: null,
    assignment_timeout: null,
    follow_up_possible: 'yes',
    reopen_time_in_days: null,
    follow_up_assignment: true,
    active: true,
    shared_drafts: true,
    note,
    updated_by_id: SYSTEM_USER_ID,
    created_by_id: SYSTEM_USER_ID,
    created_at: at,
    updated_at: at,
  });
  return [
    group(1, 'Users', 'Standard Group/Pool for Tickets.'),
    group(2, 'Support', 'Second-line support.'),
  ];
}

export function seedOrganizations(at: Timestamp): OrganizationRecord[] {
  const organization = (id: number, name: string, vip: boolean): OrganizationRecord => ({
    id,
    name,
    shared: true,
    domain: '',
    domain_assignment: false,
    active: true,
    note: '',
    vip,
    updated_by_id: SYSTEM_USER_ID,
    created_by_id: SYSTEM_USER_ID,
    created_at: at,
    updated_at: at,
    secondary_member_ids: [],
  });
  return [organization(1, 'Zammad Foundation', false), organization(2, 'Awesome Customer Inc.', true)];
}

/** Builds a user with Zammad's defaults for every attribute that `fields` leaves out. */
export function buildUser(fields: Partial<UserRecord> & Pick<UserRecord, 'id' | 'login'>, at: Timestamp): UserRecord {
  // Listing id and login here keeps Zammad's key order in rendered JSON.
  const { id, login, ...rest } = fields;
  return {
    id,
    organization_id: null,
    login,
    firstname: '',
    lastname: '',
    email: '',
    image: null,
    image_source: null,
    web: '',
    phone: '',
    fax: '',
    mobile: '',
    department: null,
    street: '',
    zip: '',
    city: '',
    country: '',
    address: null,
    vip: false,
    verified: false,
    active: true,
    note: '',
    last_login: null,
    source: null,
    login_failed: 0,
    out_of_office: false,
    out_of_office_start_at: null,
    out_of_office_end_at: null,
    out_of_office_replacement_id: null,
    preferences: { locale: 'en-us' },
    updated_by_id: SYSTEM_USER_ID,
    created_by_id: SYSTEM_USER_ID,
    created_at: at,
    updated_at: at,
    role_ids: [ROLE_CUSTOMER],
    two_factor_preference_ids: [],
    organization_ids: [],
    authorization_ids: [],
    overview_sorting_ids: [],
    group_ids: {},
    ...rest,
  };
}

export function seedUsers(at: Timestamp): UserRecord[] {
  const allGroups = { '1': ['full'], '2': ['full'] };
  return [
    buildUser(
      { id: SYSTEM_USER_ID, login: '-', firstname: '-', active: false, role_ids: [], preferences: {} },
      at,
    ),
    buildUser(
      {
        id: INTEGRATION_USER_ID,
        login: 'deskbridge@example.com',
        firstname: 'Deskbridge',
        lastname: 'Integration',
        email: 'deskbridge@example.com',
        role_ids: [ROLE_ADMIN, ROLE_AGENT],
        group_ids: allGroups,
      },
      at,
    ),
    buildUser(
      {
        id: AGENT_USER_ID,
        login: 'emma@example.com',
        firstname: 'Emma',
        lastname: 'Taylor',
        email: 'emma@example.com',
        role_ids: [ROLE_AGENT],
        group_ids: allGroups,
      },
      at,
    ),
    buildUser(
      {
        id: CUSTOMER_USER_ID,
        organization_id: 1,
        login: 'nicole.braun@example.com',
        firstname: 'Nicole',
        lastname: 'Braun',
        email: 'nicole.braun@example.com',
      },
      at,
    ),
    buildUser(
      {
        id: 5,
        organization_id: 2,
        login: 'emily@example.com',
        firstname: 'Emily',
        lastname: 'Adams',
        email: 'emily@example.com',
      },
      at,
    ),
  ];
}
