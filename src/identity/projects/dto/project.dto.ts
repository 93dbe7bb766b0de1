import { ApiUrls } from '../../../common/http/api-urls';
import { formatUuid } from '../../../common/http/uuid';
import { Project } from '../project.entity';

/** A project as the API renders it. */
export interface ProjectDto {
  uuid: string;
  url: string;
  name: string;
  description: string;
  customer: string;
  customer_uuid: string;
  customer_name: string;
  customer_abbreviation: string;
  customer_native_name: string;
  backend_id: string;
  created: string;
}

/** Renders a project loaded with its `customer`. */
export function toProjectDto(project: Project, urls: ApiUrls): ProjectDto {
  return {
    uuid: formatUuid(project.uuid),
    url: urls.detail('projects', project.uuid),
    name: project.name,
    description: project.description,
    customer: urls.detail('customers', project.customer.uuid),
    customer_uuid: formatUuid(project.customer.uuid),
    customer_name: project.customer.name,
    customer_abbreviation: project.customer.abbreviation,
    customer_native_name: project.customer.nativeName,
    backend_id: project.backendId,
    created: project.created.toISOString(),
  };
}
