/**
 * Reference data the fake starts with: users and their credentials, the `SUP`
 * service desk project and a plain `OPS` project, workflows, priorities,
 * resolutions, issue types and request types. Ids are fixed so tests can name
 * them, while `fields.ts` numbers custom fields from a configurable start.
 */

export type Role = 'admin' | 'agent' | 'customer' | 'none';

export interface UserRecord {
  accountId: string;
  /** Data Center user key, stable across renames. */
  key: string;
  /** Data Center user name, used for login and `?username=`. */
  name: string;
  emailAddress: string;
  displayName: string;
  active: boolean;
  timeZone: string;
  accountType: 'atlassian' | 'customer' | 'app';
  role: Role;
  /** Cloud users may hide their e-mail address from other users and from search. */
  emailHidden: boolean;
  assignable: boolean;
  /** API token (Cloud) or password (Data Center) for basic auth. Users without one cannot log in. */
  secret?: string;
}

/** Checks whether a user works the queue: agents and administrators. */
export function isAgent(user: UserRecord): boolean {
  return user.role === 'agent' || user.role === 'admin';
}

export const INTEGRATION_EMAIL = 'jira-bot@example.com';
export const INTEGRATION_TOKEN = 'fake-api-token';
export const AGENT_EMAIL = 'agent@example.com';
export const AGENT_TOKEN = 'fake-agent-token';
export const CUSTOMER_EMAIL = 'customer@example.com';
export const CUSTOMER_TOKEN = 'fake-customer-token';
export const PERSONAL_ACCESS_TOKEN = 'fake-pat';
export const OAUTH_ACCESS_TOKEN = 'fake-oauth-token';
export const OAUTH_REFRESH_TOKEN = 'fake-refresh-token';

function user(fields: Omit<UserRecord, 'active' | 'timeZone' | 'emailHidden'> & Partial<UserRecord>): UserRecord {
  return { active: true, timeZone: 'Europe/Tallinn', emailHidden: false, ...fields };
}

export function seedUsers(): UserRecord[] {
  return [
    user({
      accountId: '5b10ac8d82e05b22cc7d0001',
      key: 'JIRAUSER10000',
      name: 'jira-bot',
      emailAddress: INTEGRATION_EMAIL,
      displayName: 'Deskbridge Integration',
      accountType: 'atlassian',
      role: 'admin',
      assignable: false,
      secret: INTEGRATION_TOKEN,
    }),
    user({
      accountId: '5b10ac8d82e05b22cc7d0002',
      key: 'JIRAUSER10100',
      name: 'agent',
      emailAddress: AGENT_EMAIL,
      displayName: 'Agent One',
      accountType: 'atlassian',
      role: 'agent',
      assignable: true,
      secret: AGENT_TOKEN,
    }),
    user({
      accountId: '5b10ac8d82e05b22cc7d0003',
      key: 'JIRAUSER10101',
      name: 'agent.two',
      emailAddress: 'agent.two@example.com',
      displayName: 'Agent Two',
      accountType: 'atlassian',
      role: 'agent',
      assignable: true,
    }),
    user({
      accountId: 'qm:00000000-0000-0000-0000-00000000000a:00000000-0000-0000-0000-000000000001',
      key: 'JIRAUSER10200',
      name: 'customer',
      emailAddress: CUSTOMER_EMAIL,
      displayName: 'Customer One',
      accountType: 'customer',
      role: 'customer',
      assignable: false,
      secret: CUSTOMER_TOKEN,
    }),
    user({
      accountId: '5b10ac8d82e05b22cc7d0004',
      key: 'JIRAUSER10201',
      name: 'private.person',
      emailAddress: 'private@example.com',
      displayName: 'Private Person',
      accountType: 'atlassian',
      role: 'none',
      assignable: false,
      emailHidden: true,
    }),
    user({
      accountId: 'qm:00000000-0000-0000-0000-00000000000a:00000000-0000-0000-0000-000000000002',
      key: 'JIRAUSER10202',
      name: 'former.customer',
      emailAddress: 'former@example.com',
      displayName: 'Former Customer',
      accountType: 'customer',
      role: 'customer',
      assignable: false,
      active: false,
    }),
  ];
}

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface StatusCategory {
  id: number;
  key: StatusCategoryKey;
  colorName: string;
  name: string;
}

export const STATUS_CATEGORIES: Record<StatusCategoryKey, StatusCategory> = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
};

export interface StatusRecord {
  id: string;
  name: string;
  description: string;
  category: StatusCategoryKey;
}

export const STATUSES: StatusRecord[] = [
  { id: '1', name: 'Open', description: 'The request is waiting for an agent.', category: 'new' },
  { id: '3', name: 'In Progress', description: 'An agent is working on the request.', category: 'indeterminate' },
  { id: '5', name: 'Resolved', description: 'The request has been resolved.', category: 'done' },
  { id: '10002', name: 'Cancelled', description: 'The request was withdrawn.', category: 'done' },
  { id: '6', name: 'Closed', description: 'The request is closed.', category: 'done' },
  { id: '10010', name: 'To Do', description: '', category: 'new' },
  { id: '10011', name: 'In Progress', description: '', category: 'indeterminate' },
  { id: '10012', name: 'Done', description: '', category: 'done' },
];

export interface ResolutionRecord {
  id: string;
  name: string;
  description: string;
}

export const RESOLUTIONS: ResolutionRecord[] = [
  { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' },
  { id: '10001', name: "Won't Do", description: 'This issue will not be actioned.' },
  { id: '10002', name: 'Duplicate', description: 'The problem is a duplicate of an existing issue.' },
  { id: '10003', name: 'Cannot Reproduce', description: 'The problem could not be reproduced.' },
];

export interface TransitionRecord {
  id: string;
  name: string;
  from: string[];
  to: string;
  /** The transition screen requests a resolution, which is then required. */
  resolutionScreen: boolean;
  /** Resolution that a post function sets without a screen. Null clears it, and absent leaves it unchanged. */
  setsResolution?: string | null;
  /** `issue_event_type_name` that Data Center fires. Cloud sends `issue_generic` for every transition. */
  eventTypeName: string;
  /** Offered to portal customers through `/rest/servicedeskapi/request/{key}/transition`. */
  customerTransition: boolean;
}

export interface WorkflowRecord {
  name: string;
  initialStatusId: string;
  transitions: TransitionRecord[];
}

const SERVICE_DESK_WORKFLOW: WorkflowRecord = {
  name: 'Service Desk Workflow',
  initialStatusId: '1',
  transitions: [
    { id: '11', name: 'Start progress', from: ['1'], to: '3', resolutionScreen: false, eventTypeName: 'issue_work_started', customerTransition: false },
    { id: '41', name: 'Stop progress', from: ['3'], to: '1', resolutionScreen: false, eventTypeName: 'issue_work_stopped', customerTransition: false },
    { id: '21', name: 'Resolve', from: ['1', '3'], to: '5', resolutionScreen: true, eventTypeName: 'issue_resolved', customerTransition: false },
    { id: '31', name: 'Cancel request', from: ['1', '3'], to: '10002', resolutionScreen: false, setsResolution: '10001', eventTypeName: 'issue_generic', customerTransition: true },
    { id: '51', name: 'Close', from: ['5', '10002'], to: '6', resolutionScreen: false, eventTypeName: 'issue_closed', customerTransition: false },
    { id: '61', name: 'Reopen', from: ['5', '10002', '6'], to: '1', resolutionScreen: false, setsResolution: null, eventTypeName: 'issue_reopened', customerTransition: true },
  ],
};

const SOFTWARE_WORKFLOW: WorkflowRecord = {
  name: 'Software Simplified Workflow',
  initialStatusId: '10010',
  transitions: [
    { id: '711', name: 'Start', from: ['10010'], to: '10011', resolutionScreen: false, eventTypeName: 'issue_generic', customerTransition: false },
    { id: '731', name: 'Back to To Do', from: ['10011'], to: '10010', resolutionScreen: false, eventTypeName: 'issue_generic', customerTransition: false },
    { id: '721', name: 'Done', from: ['10010', '10011'], to: '10012', resolutionScreen: false, setsResolution: '10000', eventTypeName: 'issue_generic', customerTransition: false },
    { id: '741', name: 'Reopen', from: ['10012'], to: '10010', resolutionScreen: false, setsResolution: null, eventTypeName: 'issue_generic', customerTransition: false },
  ],
};

export interface PriorityRecord {
  id: string;
  name: string;
  description: string;
  statusColor: string;
  icon: string;
}

export const PRIORITIES: PriorityRecord[] = [
  { id: '1', name: 'Highest', description: 'This problem will block progress.', statusColor: '#d04437', icon: 'highest' },
  { id: '2', name: 'High', description: 'Serious problem that could block progress.', statusColor: '#f15c75', icon: 'high' },
  { id: '3', name: 'Medium', description: 'Has the potential to affect progress.', statusColor: '#f79232', icon: 'medium' },
  { id: '4', name: 'Low', description: 'Minor problem or easily worked around.', statusColor: '#707070', icon: 'low' },
  { id: '5', name: 'Lowest', description: 'Trivial problem with little or no impact on progress.', statusColor: '#999999', icon: 'lowest' },
];

export const DEFAULT_PRIORITY_ID = '3';

export interface IssueTypeRecord {
  id: string;
  name: string;
  description: string;
  avatarId: number;
}

export const ISSUE_TYPES: IssueTypeRecord[] = [
  { id: '10100', name: 'Service Request', description: 'Created by JSM Service Desk for service requests.', avatarId: 10320 },
  { id: '10101', name: 'Incident', description: 'Created by JSM Service Desk for incidents.', avatarId: 10303 },
  { id: '10102', name: 'Change Request', description: 'Created by JSM Service Desk for changes.', avatarId: 10310 },
  { id: '10103', name: 'Informational', description: 'A question or a piece of information.', avatarId: 10315 },
  { id: '10104', name: 'Task', description: 'A task that needs to be done.', avatarId: 10318 },
];

export interface ProjectRecord {
  id: string;
  key: string;
  name: string;
  projectTypeKey: 'service_desk' | 'software';
  leadAccountId: string;
  issueTypeIds: string[];
  workflow: WorkflowRecord;
  avatarId: number;
}

export const PROJECTS: ProjectRecord[] = [
  {
    id: '10000',
    key: 'SUP',
    name: 'Support',
    projectTypeKey: 'service_desk',
    leadAccountId: '5b10ac8d82e05b22cc7d0002',
    issueTypeIds: ['10100', '10101', '10102', '10103'],
    workflow: SERVICE_DESK_WORKFLOW,
    avatarId: 10324,
  },
  {
    id: '10001',
    key: 'OPS',
    name: 'Operations',
    projectTypeKey: 'software',
    leadAccountId: '5b10ac8d82e05b22cc7d0002',
    issueTypeIds: ['10104'],
    workflow: SOFTWARE_WORKFLOW,
    avatarId: 10325,
  },
];

export interface ServiceDeskRecord {
  id: string;
  projectId: string;
  projectKey: string;
  projectName: string;
  portalId: string;
}

export const SERVICE_DESKS: ServiceDeskRecord[] = [
  { id: '1', projectId: '10000', projectKey: 'SUP', projectName: 'Support', portalId: '1' },
];

export interface RequestTypeRecord {
  id: string;
  name: string;
  description: string;
  helpText: string;
  issueTypeId: string;
  serviceDeskId: string;
  groupIds: string[];
  /** Field ids a portal customer can fill in. */
  fieldIds: string[];
  requiredFieldIds: string[];
}

export const REQUEST_TYPE_GROUPS = [{ id: '1', name: 'Common requests' }];

/** Request type seeds. The store resolves `customFieldNames` to field ids. */
export interface RequestTypeSeed extends Omit<RequestTypeRecord, 'fieldIds'> {
  systemFieldIds: string[];
  customFieldNames: string[];
}

export const REQUEST_TYPES: RequestTypeSeed[] = [
  {
    id: '1',
    name: 'Get IT help',
    description: 'Get assistance for general IT problems and questions.',
    helpText: '',
    issueTypeId: '10100',
    serviceDeskId: '1',
    groupIds: ['1'],
    systemFieldIds: ['summary', 'description', 'priority'],
    customFieldNames: [],
    requiredFieldIds: ['summary'],
  },
  {
    id: '2',
    name: 'Report a system problem',
    description: 'Let us know if something is broken.',
    helpText: '',
    issueTypeId: '10101',
    serviceDeskId: '1',
    groupIds: ['1'],
    systemFieldIds: ['summary', 'description', 'priority'],
    customFieldNames: ['Impact'],
    requiredFieldIds: ['summary'],
  },
  {
    id: '3',
    name: 'Request a change',
    description: 'Ask for a change to a system or service.',
    helpText: '',
    issueTypeId: '10102',
    serviceDeskId: '1',
    groupIds: ['1'],
    systemFieldIds: ['summary', 'description', 'priority'],
    customFieldNames: [],
    requiredFieldIds: ['summary'],
  },
  {
    id: '4',
    name: 'Ask a question',
    description: 'Have a question? Submit it here.',
    helpText: '',
    issueTypeId: '10103',
    serviceDeskId: '1',
    groupIds: ['1'],
    systemFieldIds: ['summary', 'description'],
    customFieldNames: [],
    requiredFieldIds: ['summary'],
  },
];

export interface IssueLinkTypeRecord {
  id: string;
  name: string;
  inward: string;
  outward: string;
}

export const ISSUE_LINK_TYPES: IssueLinkTypeRecord[] = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
];
