import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { NotFoundException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import { Customer } from '../../identity/customers/customer.entity';
import { Project } from '../../identity/projects/project.entity';
import { User } from '../../identity/users/user.entity';
import { SettingsService } from '../../settings/settings.service';
import { SupportBackend } from '../backends/support-backend';
import { BackendWrites, PendingPushes } from '../backends/backend-writes.service';
import { SupportBackendProvider } from '../backends/support-backend.provider';
import { isUniqueViolation } from '../common/database-errors';
import { FieldErrorCollector } from '../common/field-error-collector';
import { findByHyperlink, OBJECT_DOES_NOT_EXIST, requireHyperlinkUuid } from '../common/hyperlinks';
import { isStaffOrSupport } from '../common/support-roles';
import { configuredIssueTypes, HOMEPORT_ISSUE_TYPES, mapsUsersToServiceDeskAgents } from '../common/support-settings';
import { PrioritiesService } from '../priorities/priorities.service';
import { Resource } from '../resources/resource.entity';
import { ResourcesService } from '../resources/resources.service';
import { SupportUser } from '../support-users/support-user.entity';
import { SupportUsersService } from '../support-users/support-users.service';
import { Template } from '../templates/template.entity';
import { IssueCreateDto } from './dto/issue-create.dto';
import { IssueAccessService } from './issue-access.service';
import { IssueRepresentationService } from './issue-representation.service';
import { Issue } from './issue.entity';
import { IssueResponse } from './issue.mapper';
import { IssuesRepository } from './issues.repository';

const DUPLICATE_REMOTE_ID = 'Issue with this remote id already exists.';

/** A create request after validation: every reference resolved and the scope made consistent. */
interface ValidatedIssue {
  summary: string;
  type: string;
  description: string;
  remoteId: string | null;
  priority: string;
  caller: User;
  assignee: SupportUser | null;
  /** The requester's agent account when issues filed for others are mapped to agents. */
  reporter: SupportUser | null;
  customer: Customer | null;
  project: Project | null;
  resource: Resource | null;
  template: Template | null;
}

/**
 * Files new issues under Waldur's rules, with three fixes. Only staff and support may name
 * a caller other than themselves, so everyone else is the caller of what they file. Only
 * they may set priority and assignee. A project or resource must match the customer sent.
 */
@Injectable()
export class IssueCreationService {
  private readonly logger = new Logger(IssueCreationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
    private readonly backends: SupportBackendProvider,
    private readonly issues: IssuesRepository,
    private readonly access: IssueAccessService,
    private readonly resources: ResourcesService,
    private readonly priorities: PrioritiesService,
    private readonly supportUsers: SupportUsersService,
    private readonly representation: IssueRepresentationService,
    private readonly writes: BackendWrites,
  ) {}

  async create(viewer: User, body: IssueCreateDto, urls: ApiUrls): Promise<IssueResponse> {
    if (!viewer.email.trim()) {
      throw ValidationFailedException.nonField('Your account has no email address. Add one to your profile before creating issues.');
    }
    if (!viewer.fullName.trim()) {
      throw ValidationFailedException.nonField('Your account has no full name. Add one to your profile before creating issues.');
    }
    const backend = this.backends.current();
    const fields = await this.validate(viewer, body, backend);
    const pending = new PendingPushes();
    const issueId = await this.save(viewer, fields, backend, pending);
    await this.writes.afterCommit(pending);
    const issue = await this.issues.findByIdWithRelations(issueId);
    this.logger.log(`Issue ${issue.key || issue.uuid} created in the ${backend.name} backend by user ${viewer.uuid}`);
    return this.representation.renderOne(issue, viewer, urls, backend);
  }

  private async validate(viewer: User, body: IssueCreateDto, backend: SupportBackend): Promise<ValidatedIssue> {
    const errors = new FieldErrorCollector();
    const manager = this.dataSource.manager;
    const manual = body.is_reported_manually === true;

    const summary = body.summary.trim();
    if (!summary) errors.add('summary', 'This field may not be blank.');
    else if (summary.length > backend.summaryMaxLength) {
      errors.add('summary', `Ensure this field has no more than ${backend.summaryMaxLength} characters.`);
    }
    const type = this.validateType(body.type, errors);

    const remoteId = body.remote_id || null;
    if (remoteId && (await manager.existsBy(Issue, { remoteId }))) errors.add('remote_id', DUPLICATE_REMOTE_ID);

    const priority = body.priority?.trim() ?? '';
    if (priority && !isStaffOrSupport(viewer)) errors.add('priority', 'Only staff and support can set the priority.');
    else if (priority && !(await this.priorities.exists(backend, priority))) {
      errors.add('priority', `Priority "${priority}" does not exist.`);
    }

    const customer = body.customer ? await errors.run(() => this.resolveCustomer(viewer, body.customer)) : null;
    const project = body.project ? await errors.run(() => this.resolveProject(viewer, body.project)) : null;
    const resource = body.resource ? await errors.run(() => this.resolveResource(viewer, body.resource)) : null;
    const template = body.template
      ? await errors.run(() => findByHyperlink(manager, Template, body.template, 'support-templates', 'template'))
      : null;
    if (customer && project && project.customerId !== customer.id) {
      errors.add('project', 'The project does not belong to the given customer.');
    }
    if (resource && project && resource.projectId !== project.id) {
      errors.add('resource', 'The resource does not belong to the given project.');
    } else if (resource && customer && resource.project.customerId !== customer.id) {
      errors.add('resource', 'The resource does not belong to the given customer.');
    }

    const caller = await errors.run(() => this.resolveCaller(viewer, body));
    const assignee = body.assignee ? await errors.run(() => this.resolveAssignee(viewer, body.assignee, manual, backend)) : null;
    const reporter = !manual && mapsUsersToServiceDeskAgents(this.settings) ? await errors.run(() => this.findAgent(viewer, backend)) : null;
    errors.throwIfAny();

    const scopeProject = resource?.project ?? project ?? null;
    const reportedBy = !manual && !reporter ? `Reported by ${viewer.fullName.trim()}.` : '';
    const description = [reportedBy, body.description ?? ''].filter(Boolean).join('\n\n');
    return {
      summary,
      type,
      description,
      remoteId,
      priority,
      caller: caller!,
      assignee: assignee ?? null,
      reporter: reporter ?? null,
      customer: scopeProject?.customer ?? customer ?? null,
      project: scopeProject,
      resource: resource ?? null,
      template: template ?? null,
    };
  }

  /** Returns the requested type, or the first configured one. HomePort's four labels are always accepted. */
  private validateType(requested: string | undefined, errors: FieldErrorCollector): string {
    const configured = configuredIssueTypes(this.settings);
    const type = requested?.trim();
    if (!type) return configured[0];
    const allowed = new Set<string>([...configured, ...HOMEPORT_ISSUE_TYPES]);
    if (!allowed.has(type)) errors.add('type', `"${type}" is not a valid choice.`);
    return type;
  }

  private async resolveCustomer(viewer: User, link: unknown): Promise<Customer> {
    const customer = await findByHyperlink(this.dataSource.manager, Customer, link, 'customers', 'customer');
    if (!(await this.access.mayUseCustomer(viewer, customer.id))) {
      throw ValidationFailedException.field('customer', 'You do not have permission to create issues for this customer.');
    }
    return customer;
  }

  private async resolveProject(viewer: User, link: unknown): Promise<Project> {
    const project = await findByHyperlink(this.dataSource.manager, Project, link, 'projects', 'project', { customer: true });
    if (!(await this.access.mayUseProject(viewer, project))) {
      throw ValidationFailedException.field('project', 'You do not have permission to create issues in this project.');
    }
    return project;
  }

  private async resolveResource(viewer: User, link: unknown): Promise<Resource> {
    const uuid = requireHyperlinkUuid(link, 'marketplace-resources', 'resource');
    let resource: Resource;
    try {
      resource = await this.resources.findVisible(viewer, uuid);
    } catch (error) {
      if (error instanceof NotFoundException) throw ValidationFailedException.field('resource', OBJECT_DOES_NOT_EXIST);
      throw error;
    }
    if (!(await this.access.mayUseProject(viewer, resource.project))) {
      throw ValidationFailedException.field('resource', 'You do not have permission to create issues about this resource.');
    }
    return resource;
  }

  /**
   * Resolves the caller. A manual report is always the requester's own. Otherwise staff and
   * support must name the caller, and everyone else may name only themselves (the default).
   */
  private async resolveCaller(viewer: User, body: IssueCreateDto): Promise<User> {
    if (body.is_reported_manually) return viewer;
    if (body.caller === undefined || body.caller === null) {
      if (isStaffOrSupport(viewer)) throw ValidationFailedException.field('caller', 'This field is required.');
      return viewer;
    }
    const caller = await findByHyperlink(this.dataSource.manager, User, body.caller, 'users', 'caller');
    if (caller.id !== viewer.id && !isStaffOrSupport(viewer)) {
      throw ValidationFailedException.field('caller', 'Only staff and support can report an issue on behalf of another user.');
    }
    if (!caller.isActive) throw ValidationFailedException.field('caller', 'This user is inactive and cannot be the caller of an issue.');
    return caller;
  }

  private async resolveAssignee(viewer: User, link: unknown, manual: boolean, backend: SupportBackend): Promise<SupportUser> {
    if (manual) throw ValidationFailedException.field('assignee', 'An issue reported manually cannot be assigned when it is created.');
    if (!isStaffOrSupport(viewer)) throw ValidationFailedException.field('assignee', 'Only staff and support can assign issues.');
    const assignee = await findByHyperlink(this.dataSource.manager, SupportUser, link, 'support-users', 'assignee');
    if (assignee.backendName && assignee.backendName !== backend.name) {
      throw ValidationFailedException.field('assignee', `This account belongs to the ${assignee.backendName} backend, not to ${backend.name}.`);
    }
    return assignee;
  }

  private async findAgent(viewer: User, backend: SupportBackend): Promise<SupportUser> {
    const agent = await this.dataSource.getRepository(SupportUser).findOneBy({ userId: viewer.id, backendName: backend.name, isActive: true });
    if (!agent) {
      throw ValidationFailedException.nonField(
        `Your account is not linked to an active agent account of the ${backend.name} helpdesk. Ask an administrator to link it.`,
      );
    }
    return agent;
  }

  /** Stores the issue and hands it to the backend in one transaction; returns its id. */
  private async save(viewer: User, fields: ValidatedIssue, backend: SupportBackend, pending: PendingPushes): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const reporter = fields.reporter ?? (await this.supportUsers.getOrCreateForUser(manager, viewer, backend.name));
      const issue = manager.create(Issue, {
        backendName: backend.name,
        summary: fields.summary,
        type: fields.type,
        description: fields.description,
        remoteId: fields.remoteId,
        priority: fields.priority,
        callerId: fields.caller.id,
        reporterId: reporter.id,
        assigneeId: fields.assignee?.id ?? null,
        customerId: fields.customer?.id ?? null,
        projectId: fields.project?.id ?? null,
        resourceId: fields.resource?.id ?? null,
        templateId: fields.template?.id ?? null,
      });
      try {
        await manager.save(issue);
      } catch (error) {
        if (isUniqueViolation(error, 'issues_remote_id_key')) throw ValidationFailedException.field('remote_id', DUPLICATE_REMOTE_ID);
        throw error;
      }
      await this.writes.issueCreated(manager, backend, issue, pending);
      return issue.id;
    });
  }
}
