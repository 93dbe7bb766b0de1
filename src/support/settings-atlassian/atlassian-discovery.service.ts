import { Injectable } from '@nestjs/common';

import { PermissionDeniedException } from '../../common/errors/app.exception';
import type { User } from '../../identity/users/user.entity';
import { SettingsService } from '../../settings/settings.service';
import { JiraDiscovery, withJiraDiscovery } from '../backends/atlassian/jira-discovery';
import { discoveryCredentials } from './atlassian-credentials';
import type { AtlassianCredentialsDto, DiscoverCustomFieldsDto, DiscoverRequestTypesDto } from './dto/atlassian-credentials.dto';
import type {
  AtlassianCredentialsCheck,
  AtlassianCustomFieldResponse,
  AtlassianPriorityResponse,
  AtlassianProjectResponse,
  AtlassianRequestTypeResponse,
} from './dto/atlassian-discovery.dto';

/**
 * Settings discovery for Jira: checks credentials and lists what an admin picks from
 * (service desk projects, request types, priorities, custom fields) with the credentials
 * of the request body, before anything is saved. Staff only. A Jira failure reaches the
 * caller as 424 with Jira's message.
 */
@Injectable()
export class AtlassianDiscoveryService {
  constructor(private readonly settings: SettingsService) {}

  async validateCredentials(user: User, body: AtlassianCredentialsDto): Promise<AtlassianCredentialsCheck> {
    assertStaff(user);
    const credentials = discoveryCredentials(body, this.settings.getAll());
    return this.discover(body, async (discovery) => {
      const { account, server } = await discovery.checkCredentials();
      return {
        valid: true,
        auth_method: credentials.auth.method,
        user: { account_id: account.accountId, name: account.name, display_name: account.displayName, email: account.email, time_zone: account.timeZone },
        server: { base_url: server.baseUrl, version: server.version, deployment_type: server.deploymentType },
      };
    });
  }

  async discoverProjects(user: User, body: AtlassianCredentialsDto): Promise<AtlassianProjectResponse[]> {
    assertStaff(user);
    const projects = await this.discover(body, (discovery) => discovery.projects());
    return projects.map((project) => ({ id: project.projectId, key: project.key, name: project.name, service_desk_id: project.serviceDeskId }));
  }

  async discoverRequestTypes(user: User, body: DiscoverRequestTypesDto): Promise<AtlassianRequestTypeResponse[]> {
    assertStaff(user);
    const types = await this.discover(body, (discovery) => discovery.requestTypes(body.project_id));
    return types.map((type) => ({
      id: type.id,
      name: type.name,
      ...(type.description ? { description: type.description } : {}),
      ...(type.issueTypeId ? { issue_type_id: type.issueTypeId } : {}),
    }));
  }

  async discoverPriorities(user: User, body: AtlassianCredentialsDto): Promise<AtlassianPriorityResponse[]> {
    assertStaff(user);
    const priorities = await this.discover(body, (discovery) => discovery.priorities());
    return priorities.map((priority) => ({
      id: priority.id,
      name: priority.name,
      ...(priority.description ? { description: priority.description } : {}),
      ...(priority.iconUrl ? { icon_url: priority.iconUrl } : {}),
    }));
  }

  /** Lists custom fields, or with `request_type_id` the fields on that request type's form. */
  async discoverCustomFields(user: User, body: DiscoverCustomFieldsDto): Promise<AtlassianCustomFieldResponse[]> {
    assertStaff(user);
    const projectId = body.project_id || this.settings.get('ATLASSIAN_PROJECT_ID');
    const fields = await this.discover(body, (discovery) => discovery.fields(projectId, body.request_type_id || undefined));
    return fields.map((field) => ({ id: field.id, name: field.name, clause_names: field.clauseNames, field_type: field.fieldType, required: field.required }));
  }

  private discover<T>(body: AtlassianCredentialsDto, work: (discovery: JiraDiscovery) => Promise<T>): Promise<T> {
    const credentials = discoveryCredentials(body, this.settings.getAll());
    const options = { baseUrl: credentials.apiUrl, auth: credentials.auth, verifySsl: credentials.verifySsl, strangeSetting: this.settings.get('ATLASSIAN_STRANGE_SETTING') };
    return withJiraDiscovery(options, work);
  }
}

export function assertStaff(user: User): void {
  if (!user.isStaff) throw new PermissionDeniedException();
}
