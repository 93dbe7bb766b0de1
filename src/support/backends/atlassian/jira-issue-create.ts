import { Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { FailedDependencyException, ValidationFailedException } from '../../../common/errors/app.exception';
import { formatUuid } from '../../../common/http/uuid';
import { Customer } from '../../../identity/customers/customer.entity';
import { Project } from '../../../identity/projects/project.entity';
import { User } from '../../../identity/users/user.entity';
import { Issue } from '../../issues/issue.entity';
import { Resource } from '../../resources/resource.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { Template } from '../../templates/template.entity';
import type { AtlassianSettings } from './atlassian.config';
import { JiraAccounts, JiraCustomerReference } from './jira-accounts';
import { formatJqlLowerBound } from './jira-dates';
import { JiraFieldResolver, ResolvedField } from './jira-fields';
import { JiraReferenceData, requestTypeListsField, requestTypeShowsField } from './jira-reference-data';
import { DEFAULT_DESCRIPTION_TEMPLATE, DEFAULT_SUMMARY_TEMPLATE, renderTemplate, TemplateContext } from './jira-templates';
import { JiraClient } from './jira.client';
import { JiraError, recoverLostCreate } from './jira.exception';
import { mapCustomerRequest } from './jira.mapper';
import type { JiraIssue } from './jira.types';

/** Label prefix of the marker that ties a Jira issue to our issue, so a retried create finds it. */
export const ISSUE_LABEL_PREFIX = 'deskbridge-';

/** How far before our issue's creation a Jira issue may have been created and still be adopted; allows for clock skew. */
const ADOPTION_WINDOW_MS = 10 * 60_000;

/** The rows an issue refers to, loaded once for a create. */
export interface IssueContext {
  caller: User;
  customer: Customer | null;
  project: Project | null;
  resource: Resource | null;
  template: Template | null;
  reporter: SupportUser | null;
}

/** Summary and description as sent to Jira, after the templates. */
export interface RenderedText {
  summary: string;
  description: string;
}

/**
 * Creates the Jira side of a new issue. It sends a Service Management request of the
 * request type mapped to the issue's type (or, with `ATLASSIAN_USE_OLD_API`, a plain
 * Jira issue), adds the caller as request participant, then sends one edit that fills the
 * custom fields and adds the marker label. The create itself carries the marker label
 * where Jira accepts it: always for a plain issue, and for a request when its request
 * type's form shows the Labels field, because the Service Management API takes only the
 * fields on the form. A create whose response was lost is found again by that label, or by
 * its text among unclaimed new issues, instead of being repeated.
 */
export class JiraIssueCreator {
  private readonly logger = new Logger(JiraIssueCreator.name);

  constructor(
    private readonly client: JiraClient,
    private readonly fields: JiraFieldResolver,
    private readonly accounts: JiraAccounts,
    private readonly reference: JiraReferenceData,
    private readonly settings: AtlassianSettings,
  ) {}

  /** Creates the issue in Jira and returns it as Jira then shows it. */
  async create(manager: EntityManager, issue: Issue): Promise<JiraIssue> {
    const context = await this.loadContext(manager, issue);
    if (!context.caller.email.trim()) {
      throw ValidationFailedException.field('caller', 'The caller has no e-mail address, which Jira needs to find or create the service-desk customer.');
    }
    const customer = await this.accounts.customerFor(manager, context.caller);
    const text = this.render(issue, context);

    let created: { id: string; key: string };
    let prioritySent = false;
    try {
      if (this.settings.useOldApi) {
        created = await this.createPlainIssue(issue, text);
        prioritySent = Boolean(issue.priority);
      } else {
        ({ created, prioritySent } = await this.createRequest(manager, issue, text, customer));
      }
    } catch (error) {
      const found = await recoverLostCreate(error, () => this.findCreated(manager, issue, text), this.logger);
      this.logger.warn(`Adopted Jira issue ${found.key} for issue ${issue.uuid} after a failed create: ${(error as Error).message}`);
      created = found;
      prioritySent = true;
    }

    return this.complete(created, issue, context, customer, prioritySent);
  }

  /**
   * Finds the Jira issue an earlier, failed attempt created for `issue` and finishes its
   * setup (participant, custom fields, marker), which the lost attempt may not have
   * reached. Returns undefined when Jira has no such issue.
   */
  async adopt(manager: EntityManager, issue: Issue): Promise<JiraIssue | undefined> {
    const context = await this.loadContext(manager, issue);
    const found = await this.findCreated(manager, issue, this.render(issue, context));
    if (!found) return undefined;
    const customer = await this.accounts.customerFor(manager, context.caller);
    this.logger.warn(`Adopting Jira issue ${found.key}, which an earlier attempt created for issue ${issue.uuid}`);
    return this.complete(found, issue, context, customer, false);
  }

  /** Adds the participant and fills the fields of a created issue, then reads it back. Every step is safe to repeat. */
  private async complete(
    created: { id: string; key: string },
    issue: Issue,
    context: IssueContext,
    customer: JiraCustomerReference,
    prioritySent: boolean,
  ): Promise<JiraIssue> {
    if (!this.settings.useOldApi) await this.addParticipants(created.key, customer);
    await this.fillFields(created.key, issue, context, customer, prioritySent);

    const fetched = await this.client.getIssue(created.id);
    if (!fetched) throw new FailedDependencyException(`Jira created issue ${created.key} but does not show it.`);
    return fetched;
  }

  /**
   * Finds the Jira issue a lost create made for `issue`, first by its marker label. Then it
   * compares summary and description with the project's issues created since shortly
   * before ours, skipping those with a marker and those another issue of ours claimed.
   */
  async findCreated(manager: EntityManager, issue: Issue, text?: RenderedText): Promise<{ id: string; key: string } | undefined> {
    const label = issueLabel(issue);
    const byLabel = await this.client.search(this.settings.searchApi, { jql: `labels = "${label}" ORDER BY created ASC`, fields: ['labels'], pageSize: 5 });
    if (byLabel.issues[0]) return { id: byLabel.issues[0].id, key: byLabel.issues[0].key };

    const rendered = text ?? this.render(issue, await this.loadContext(manager, issue));
    const projectKey = this.settings.useOldApi ? this.settings.projectId : await this.reference.projectKey();
    const timeZone = (await this.client.myself()).timeZone ?? 'UTC';
    const since = formatJqlLowerBound(new Date((issue.created ?? new Date()).getTime() - ADOPTION_WINDOW_MS), timeZone);
    const candidates = await this.client.searchAll(
      this.settings.searchApi,
      { jql: `project = "${projectKey}" AND created >= "${since}" ORDER BY created ASC`, fields: ['summary', 'description', 'labels'], pageSize: 50 },
      500,
    );
    for (const candidate of candidates) {
      const fields = candidate.fields ?? {};
      const labels = Array.isArray(fields.labels) ? (fields.labels as string[]) : [];
      if (labels.some((value) => value.startsWith(ISSUE_LABEL_PREFIX))) continue;
      if (fields.summary !== rendered.summary || (fields.description ?? '') !== rendered.description) continue;
      const claimed = await manager.exists(Issue, { where: { backendName: 'atlassian', backendId: candidate.id } });
      if (!claimed) return { id: candidate.id, key: candidate.key };
    }
    return undefined;
  }

  /** Summary and description of the issue after `ATLASSIAN_SUMMARY_TEMPLATE` and `ATLASSIAN_DESCRIPTION_TEMPLATE`. */
  render(issue: Issue, context: IssueContext): RenderedText {
    const values: TemplateContext = {
      summary: issue.summary,
      description: issue.description,
      type: issue.type,
      priority: issue.priority,
      uuid: formatUuid(issue.uuid),
      remote_id: issue.remoteId ?? '',
      caller_name: context.caller.fullName || context.caller.username,
      caller_email: context.caller.email,
      caller_username: context.caller.username,
      customer_name: context.customer?.name ?? '',
      project_name: context.project?.name ?? '',
      resource_name: context.resource?.name ?? '',
      resource_type: context.resource?.resourceType ?? '',
      template_name: context.template?.name ?? '',
    };
    const summary = renderTemplate(this.settings.summaryTemplate, DEFAULT_SUMMARY_TEMPLATE, values).replace(/\s+/g, ' ').trim().slice(0, 255);
    return {
      summary: summary || issue.summary.slice(0, 255),
      description: renderTemplate(this.settings.descriptionTemplate, DEFAULT_DESCRIPTION_TEMPLATE, values),
    };
  }

  async loadContext(manager: EntityManager, issue: Issue): Promise<IssueContext> {
    const caller = issue.callerId ? await manager.findOneBy(User, { id: issue.callerId }) : null;
    const reporter = issue.reporterId ? await manager.findOne(SupportUser, { where: { id: issue.reporterId }, relations: { user: true } }) : null;
    const callerUser = caller ?? reporter?.user ?? null;
    if (!callerUser) throw ValidationFailedException.field('caller', 'A Jira issue needs a caller, who becomes its service-desk customer.');
    return {
      caller: callerUser,
      customer: issue.customerId ? await manager.findOneBy(Customer, { id: issue.customerId }) : null,
      project: issue.projectId ? await manager.findOneBy(Project, { id: issue.projectId }) : null,
      resource: issue.resourceId ? await manager.findOneBy(Resource, { id: issue.resourceId }) : null,
      template: issue.templateId ? await manager.findOneBy(Template, { id: issue.templateId }) : null,
      reporter,
    };
  }

  private async createRequest(
    manager: EntityManager,
    issue: Issue,
    text: RenderedText,
    customer: JiraCustomerReference,
  ): Promise<{ created: { id: string; key: string }; prioritySent: boolean }> {
    const desk = await this.reference.serviceDesk();
    let requestType = await this.reference.findRequestType(manager, issue.type);
    if (!requestType) {
      await this.reference.storeRequestTypes(manager, await this.reference.fetchRequestTypes());
      requestType = await this.reference.findRequestType(manager, issue.type);
    }
    if (!requestType) {
      throw ValidationFailedException.field('type', `No active Jira request type is mapped to the issue type "${issue.type}".`);
    }

    const values: Record<string, unknown> = { summary: text.summary, description: text.description };
    const prioritySent = Boolean(issue.priority) && requestTypeShowsField(requestType, 'priority');
    if (prioritySent) values.priority = { name: issue.priority };
    const body: Record<string, unknown> = { serviceDeskId: desk.id, requestTypeId: String(requestType.backendId), requestFieldValues: values };
    if (customer.raiseOnBehalfOf) body.raiseOnBehalfOf = customer.raiseOnBehalfOf;

    const marked = requestTypeListsField(requestType, 'labels');
    const response = await this.sendMarked(issue, marked, (withMarker) =>
      this.client.createRequest({ ...body, requestFieldValues: withMarker ? { ...values, labels: [issueLabel(issue)] } : values }),
    );
    const created = mapCustomerRequest(response, this.settings);
    if (!created) throw new FailedDependencyException('Jira returned the created request without an issue id and key.');
    return { created: { id: created.issueId, key: created.issueKey }, prioritySent };
  }

  private async createPlainIssue(issue: Issue, text: RenderedText): Promise<{ id: string; key: string }> {
    const projectId = this.settings.projectId;
    const fields: Record<string, unknown> = {
      project: /^\d+$/.test(projectId) ? { id: projectId } : { key: projectId },
      issuetype: { name: issue.type },
      summary: text.summary,
      description: text.description,
    };
    if (issue.priority) fields.priority = { name: issue.priority };
    const created = await this.sendMarked(issue, true, (withMarker) =>
      this.client.createIssue({ fields: withMarker ? { ...fields, labels: [issueLabel(issue)] } : fields }),
    );
    return { id: String(created.id), key: created.key };
  }

  /**
   * Sends a create with the marker label when `marked`. When Jira rejects the labels field
   * with 400 (it is not on the create screen or the request form), the create is sent again
   * without it: a 400 means Jira stored nothing, so this cannot make a second issue.
   */
  private async sendMarked<T>(issue: Issue, marked: boolean, send: (withMarker: boolean) => Promise<T>): Promise<T> {
    if (!marked) return send(false);
    try {
      return await send(true);
    } catch (error) {
      if (!(error instanceof JiraError && error.status === 400 && rejectsLabels(error))) throw error;
      this.logger.warn(
        `Jira rejected the marker label in the create of issue ${formatUuid(issue.uuid)}, so it is created without one ` +
          `and the label is added right after: ${error.message}`,
      );
      return send(false);
    }
  }

  /** Adds the caller as request participant. A failure is logged, because the request exists and must not be made twice. */
  private async addParticipants(key: string, customer: JiraCustomerReference): Promise<void> {
    try {
      await this.client.addRequestParticipants(key, customer.participants);
    } catch (error) {
      this.logger.warn(`Could not add customer ${customer.backendId} as participant of Jira issue ${key}: ${(error as Error).message}`);
    }
  }

  /**
   * Sets what the request form cannot: the mapped custom fields (with
   * `ATLASSIAN_CUSTOM_ISSUE_FIELD_MAPPING_ENABLED`), the priority when the form lacks it,
   * and the marker label. Failures are logged and the create goes on, as in the original
   * integration, because hidden fields often are not on the edit screen. A rejected label
   * is retried without it.
   */
  private async fillFields(key: string, issue: Issue, context: IssueContext, customer: JiraCustomerReference, prioritySent: boolean): Promise<void> {
    const fields = this.settings.customFieldMappingEnabled ? await this.customFieldValues(issue, context, customer) : {};
    if (issue.priority && !prioritySent) fields.priority = { name: issue.priority };
    const update = { labels: [{ add: issueLabel(issue) }] };
    try {
      await this.client.editIssue(key, { fields, update });
    } catch (error) {
      if (error instanceof JiraError && error.status === 400 && 'labels' in error.jiraFieldErrors && Object.keys(fields).length > 0) {
        await this.logFailure(this.client.editIssue(key, { fields }), key);
        return;
      }
      this.logger.warn(`Could not set the custom fields of Jira issue ${key}: ${(error as Error).message}`);
    }
  }

  private async logFailure(call: Promise<void>, key: string): Promise<void> {
    try {
      await call;
    } catch (error) {
      this.logger.warn(`Could not set the custom fields of Jira issue ${key}: ${(error as Error).message}`);
    }
  }

  private async customFieldValues(issue: Issue, context: IssueContext, customer: JiraCustomerReference): Promise<Record<string, unknown>> {
    const names = this.settings.fields;
    const callerName = context.caller.fullName || context.caller.username;
    const entries: Array<[string, string, string | undefined, 'text' | 'caller']> = [
      ['ATLASSIAN_REPORTER_FIELD', names.reporter, context.reporter?.name, 'text'],
      ['ATLASSIAN_IMPACT_FIELD', names.impact, issue.impact, 'text'],
      ['ATLASSIAN_ORGANISATION_FIELD', names.organisation, context.customer?.name, 'text'],
      ['ATLASSIAN_PROJECT_FIELD', names.project, context.project?.name, 'text'],
      ['ATLASSIAN_AFFECTED_RESOURCE_FIELD', names.affectedResource, context.resource?.name, 'text'],
      ['ATLASSIAN_TEMPLATE_FIELD', names.template, context.template?.name, 'text'],
      ['ATLASSIAN_CALLER_FIELD', names.caller, callerName, 'caller'],
    ];
    const values: Record<string, unknown> = {};
    for (const [setting, name, value, kind] of entries) {
      if (!name || !value) continue;
      const field = await this.fields.find(name);
      if (!field) {
        this.logger.warn(`Jira has no field named "${name}" (${setting}); it is left empty`);
        continue;
      }
      values[field.id] = kind === 'caller' && isUserField(field) ? await this.userValue(field, customer.backendId) : textValue(field, value);
    }
    return values;
  }

  /**
   * Writes a user picker value: Cloud names users by `accountId`; Data Center by `key`, or
   * by `name` with the old API, matching how `userIdOf` keys them.
   */
  private async userValue(field: ResolvedField, backendId: string): Promise<unknown> {
    let reference: Record<string, string> = { accountId: backendId };
    if (this.settings.useOldApi) reference = { name: backendId };
    else if (!(await this.isCloud())) reference = { key: backendId };
    return field.type === 'array' ? [reference] : reference;
  }

  private async isCloud(): Promise<boolean> {
    return (await this.client.serverInfo()).deploymentType === 'Cloud';
  }
}

/** Builds the marker label of our issue in Jira: `deskbridge-` and the issue's uuid as 32 hex digits. */
export function issueLabel(issue: Pick<Issue, 'uuid'>): string {
  return `${ISSUE_LABEL_PREFIX}${formatUuid(issue.uuid)}`;
}

/** Checks whether a 400 from Jira is about the labels field, in the platform's `errors` or in the Service Management message. */
function rejectsLabels(error: JiraError): boolean {
  return 'labels' in error.jiraFieldErrors || /\blabels\b/i.test(error.remoteMessage ?? '');
}

function isUserField(field: ResolvedField): boolean {
  return field.type === 'user' || (field.type === 'array' && field.items === 'user');
}

/** Shapes a text as the field's type takes it: an option, a list, a number or a plain string. */
export function textValue(field: ResolvedField, value: string): unknown {
  switch (field.type) {
    case 'option':
      return { value };
    case 'array':
      return field.items === 'option' ? [{ value }] : [value];
    case 'number': {
      const number = Number(value);
      return Number.isFinite(number) ? number : value;
    }
    default:
      return value;
  }
}
