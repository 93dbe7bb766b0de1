/** Service Management changes: customer requests, participants, customers and organisations. */
import type { FakeJiraCore } from './core';
import { JiraHttpError, jsmError } from './errors';
import { applyChanges, planChanges } from './field-updates';
import { createIssue } from './issue-operations';
import { requestFormFieldIds } from './jsm-views';
import { isRecord, type IssueRecord, type OrganizationRecord } from './records';
import { isAgent, type UserRecord } from './seed';

/** Re-throws a platform validation error in the JSM error shape. */
function asJsmError<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof JiraHttpError && error.body.kind === 'platform') {
      const messages = [...error.body.errorMessages, ...Object.entries(error.body.errors).map(([field, text]) => `${field}: ${text}`)];
      throw jsmError(error.status, messages.join(' '), 'sd.request.create.field.validation.error');
    }
    throw error;
  }
}

function userReference(core: FakeJiraCore, user: UserRecord): Record<string, string> {
  return core.settings.flavour === 'cloud' ? { accountId: user.accountId } : { name: user.name };
}

/** Resolves an accountId (Cloud) or user name (Data Center) as JSM bodies give them. */
export function resolveJsmUser(core: FakeJiraCore, reference: unknown): UserRecord {
  const text = String(reference);
  const user =
    core.settings.flavour === 'cloud'
      ? core.store.user(text)
      : [...core.store.users.values()].find((candidate) => candidate.name === text || candidate.key === text);
  if (!user) {
    throw jsmError(400, `The user '${text}' does not exist.`, 'sd.user.not.found');
  }
  return user;
}

/**
 * Creates a customer request from a `POST /rest/servicedeskapi/request` body.
 * Only fields visible on the request type are accepted, so callers set the
 * rest afterwards through `PUT /rest/api/2/issue/{key}`.
 */
export function createRequest(core: FakeJiraCore, actor: UserRecord, body: unknown): IssueRecord {
  if (!isRecord(body)) {
    throw jsmError(400, 'The request body must be a JSON object.', 'sd.request.body.invalid');
  }
  const desk = core.store.serviceDesk(String(body.serviceDeskId ?? ''));
  if (!desk) {
    throw jsmError(404, `The service desk with id ${String(body.serviceDeskId)} does not exist.`, 'sd.service.desk.not.found');
  }
  const type = core.store.requestTypes.find((candidate) => candidate.id === String(body.requestTypeId ?? '') && candidate.serviceDeskId === desk.id);
  if (!type) {
    throw jsmError(400, 'The request type you specified does not exist.', 'sd.request.type.not.found');
  }

  const values = isRecord(body.requestFieldValues) ? body.requestFieldValues : {};
  const formFieldIds = requestFormFieldIds(core.settings, type);
  for (const fieldId of Object.keys(values)) {
    if (!formFieldIds.includes(fieldId)) {
      throw jsmError(400, `The field '${fieldId}' is not visible on the request type '${type.name}'.`, 'sd.request.field.not.visible');
    }
  }
  for (const fieldId of type.requiredFieldIds) {
    if (values[fieldId] === undefined || values[fieldId] === null || values[fieldId] === '') {
      throw jsmError(400, `The field '${fieldId}' is required.`, 'sd.request.field.required');
    }
  }

  let reporter = actor;
  if (body.raiseOnBehalfOf !== undefined && body.raiseOnBehalfOf !== null) {
    if (!isAgent(actor)) {
      throw jsmError(403, 'You do not have permission to raise requests on behalf of other customers.', 'sd.request.raise.on.behalf.forbidden');
    }
    reporter = resolveJsmUser(core, body.raiseOnBehalfOf);
  }

  const fields: Record<string, unknown> = {
    ...values,
    project: { id: desk.projectId },
    issuetype: { id: type.issueTypeId },
  };
  if (body.requestParticipants !== undefined) {
    if (!isAgent(actor)) {
      throw jsmError(403, 'You do not have permission to add request participants.', 'sd.request.participants.forbidden');
    }
    if (!Array.isArray(body.requestParticipants)) {
      throw jsmError(400, "'requestParticipants' must be a list.", 'sd.request.participants.invalid');
    }
    const participantField = core.store.catalog.customByName('Request participants');
    fields[participantField.id] = body.requestParticipants.map((reference) => userReference(core, resolveJsmUser(core, reference)));
  }

  core.store.serviceDeskCustomers.get(desk.id)?.add(reporter.accountId);
  return asJsmError(() => createIssue(core, actor, { fields }, { requestTypeId: type.id, reporterId: reporter.accountId }));
}

/** Finds a customer request or throws JSM's 404. */
export function requestOrThrow(core: FakeJiraCore, actor: UserRecord, idOrKey: string): IssueRecord {
  const issue = core.store.findIssue(idOrKey);
  const visible = issue && (isAgent(actor) || issue.reporterId === actor.accountId || issue.participantIds.includes(actor.accountId));
  if (!issue || !visible || !core.store.serviceDeskOfProject(issue.projectId)) {
    throw jsmError(404, 'The request either does not exist or you do not have permission to view it.', 'sd.request.not.found');
  }
  return issue;
}

/**
 * Resolves the users of a JSM user-list body: `{"accountIds": [...]}` on
 * Cloud, `{"usernames": [...]}` (or `accountIds`) on Data Center.
 */
export function resolveJsmUserList(core: FakeJiraCore, body: unknown): UserRecord[] {
  const cloud = core.settings.flavour === 'cloud';
  let references: unknown;
  if (isRecord(body)) {
    references = cloud ? body.accountIds : (body.usernames ?? body.accountIds);
  }
  if (!Array.isArray(references)) {
    const expected = cloud ? 'accountIds' : 'usernames';
    throw jsmError(400, `Specify the users as a JSON object with a list in '${expected}'.`, 'sd.user.list.invalid');
  }
  return references.map((reference) => resolveJsmUser(core, reference));
}

/** Adds or removes request participants and fires `jira:issue_updated` for the change. */
export function changeParticipants(core: FakeJiraCore, actor: UserRecord, issue: IssueRecord, body: unknown, verb: 'add' | 'remove'): void {
  const users = resolveJsmUserList(core, body);
  const field = core.store.catalog.customByName('Request participants');
  const view = core.view();
  const operations = users.map((user) => ({ [verb]: userReference(core, user) }));
  const plan = asJsmError(() => planChanges(view, issue, {}, { [field.id]: operations }));
  const items = applyChanges(view, issue, plan.values);
  if (items.length === 0) {
    return;
  }
  core.touch(issue);
  const history = core.recordHistory(issue, actor, items);
  core.emit({ kind: 'issue_updated', issue, actor, eventTypeName: 'issue_updated', changelog: history });
}

/** Creates a portal-only customer from `{email, displayName}` (Cloud) or `{email, fullName}` (Data Center). */
export function createCustomer(core: FakeJiraCore, body: unknown): UserRecord {
  if (!isRecord(body) || typeof body.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(body.email)) {
    throw jsmError(400, 'Enter a valid email address.', 'sd.customer.email.invalid');
  }
  const email = body.email;
  const displayName = core.settings.flavour === 'cloud' ? (body.displayName ?? body.fullName) : (body.fullName ?? body.displayName);
  if (typeof displayName !== 'string' || displayName.trim() === '') {
    const expected = core.settings.flavour === 'cloud' ? 'displayName' : 'fullName';
    throw jsmError(400, `Enter the customer's ${expected}.`, 'sd.customer.name.required');
  }
  const exists = [...core.store.users.values()].some((user) => user.emailAddress.toLowerCase() === email.toLowerCase());
  if (exists) {
    // NOTE: the wording of this JSM error is not published, so clients should rely on the 400 status only.
    throw jsmError(400, 'An account already exists for this email.', 'sd.customer.email.exists');
  }
  const sequence = core.store.customerIds.take();
  const customer: UserRecord = {
    accountId: `qm:00000000-0000-0000-0000-00000000000a:00000000-0000-0000-0000-${sequence.padStart(12, '0')}`,
    key: `JIRAUSER${10300 + Number(sequence)}`,
    name: email,
    emailAddress: email,
    displayName,
    active: true,
    timeZone: core.settings.timeZone,
    accountType: 'customer',
    role: 'customer',
    emailHidden: false,
    assignable: false,
  };
  core.store.users.set(customer.accountId, customer);
  return customer;
}

export function createOrganization(core: FakeJiraCore, body: unknown): OrganizationRecord {
  const name = isRecord(body) ? body.name : undefined;
  if (typeof name !== 'string' || name.length < 1 || name.length > 200) {
    throw jsmError(400, 'The organization name must be between 1 and 200 characters long.', 'sd.organization.name.invalid');
  }
  if ([...core.store.organizations.values()].some((organization) => organization.name === name)) {
    throw jsmError(409, `An organization named '${name}' already exists.`, 'sd.organization.name.exists');
  }
  const organization: OrganizationRecord = { id: core.store.organizationIds.take(), name, memberIds: [] };
  core.store.organizations.set(organization.id, organization);
  return organization;
}

export function organizationOrThrow(core: FakeJiraCore, id: string): OrganizationRecord {
  const organization = core.store.organizations.get(id);
  if (!organization) {
    throw jsmError(404, `The organization with id ${id} does not exist.`, 'sd.organization.not.found');
  }
  return organization;
}
