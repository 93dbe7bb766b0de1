import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';

import { NotFoundException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import { applyOrdering } from '../../common/http/ordering';
import { Paginator } from '../../common/http/pagination';
import { formatUuid } from '../../common/http/uuid';
import { Project } from '../../identity/projects/project.entity';
import { connectedCustomerIdsSql, connectedProjectIdsSql } from '../../identity/roles/role-queries';
import type { User } from '../../identity/users/user.entity';
import { findByHyperlink, requireUuid } from '../common/hyperlinks';
import { containsPattern } from '../common/like-pattern';
import { assertStaff, isStaffOrSupport } from '../common/support-roles';
import { ResourceCreateDto, ResourcePatchDto, ResourceQueryDto } from './dto/resource.dto';
import { Resource } from './resource.entity';

export interface ResourceResponse {
  url: string;
  uuid: string;
  name: string;
  resource_type: string;
  backend_id: string;
  project: string;
  project_uuid: string;
  project_name: string;
  customer: string;
  customer_uuid: string;
  customer_name: string;
  internal_ips: string[];
  external_ips: string[];
  created: Date;
}

/**
 * The marketplace resources issues can be about. Users who see a project see its resources:
 * staff, support, and anyone with a role in the project's customer or in the project itself.
 */
@Injectable()
export class ResourcesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(viewer: User, query: ResourceQueryDto, paginator: Paginator, urls: ApiUrls): Promise<ResourceResponse[]> {
    const builder = this.visibleQuery(viewer, this.dataSource.manager);
    if (query.name) builder.andWhere('resource.name ILIKE :name', { name: containsPattern(query.name) });
    if (query.project_uuid) builder.andWhere('project.uuid = :projectUuid', { projectUuid: requireUuid(query.project_uuid, 'project_uuid') });
    if (query.customer_uuid) {
      builder.andWhere('customer.uuid = :customerUuid', { customerUuid: requireUuid(query.customer_uuid, 'customer_uuid') });
    }
    applyOrdering(builder, query.o, { name: 'resource.name', created: 'resource.created' }, ['-created']);
    const rows = await paginator.paginate(builder);
    return rows.map((row) => toResourceResponse(row, urls));
  }

  async retrieve(viewer: User, uuid: string, urls: ApiUrls): Promise<ResourceResponse> {
    return toResourceResponse(await this.findVisible(viewer, uuid), urls);
  }

  async create(viewer: User, body: ResourceCreateDto, urls: ApiUrls): Promise<ResourceResponse> {
    assertStaff(viewer);
    const manager = this.dataSource.manager;
    const project = await findByHyperlink(manager, Project, body.project, 'projects', 'project');
    const saved = await manager.getRepository(Resource).save(
      manager.getRepository(Resource).create({
        name: body.name,
        resourceType: body.resource_type ?? 'Marketplace.Resource',
        backendId: body.backend_id ?? '',
        projectId: project.id,
        internalIps: body.internal_ips ?? [],
        externalIps: body.external_ips ?? [],
      }),
    );
    return this.retrieve(viewer, saved.uuid, urls);
  }

  async update(viewer: User, uuid: string, body: ResourcePatchDto, urls: ApiUrls): Promise<ResourceResponse> {
    assertStaff(viewer);
    const manager = this.dataSource.manager;
    const resource = await this.findVisible(viewer, uuid);
    const changes: Partial<Resource> = {};
    if (body.project !== undefined) {
      changes.projectId = (await findByHyperlink(manager, Project, body.project, 'projects', 'project')).id;
    }
    if (body.name !== undefined) changes.name = body.name;
    if (body.resource_type !== undefined) changes.resourceType = body.resource_type;
    if (body.backend_id !== undefined) changes.backendId = body.backend_id;
    if (body.internal_ips !== undefined) changes.internalIps = body.internal_ips;
    if (body.external_ips !== undefined) changes.externalIps = body.external_ips;
    if (Object.keys(changes).length > 0) await manager.getRepository(Resource).update({ id: resource.id }, changes);
    return this.retrieve(viewer, uuid, urls);
  }

  async destroy(viewer: User, uuid: string): Promise<void> {
    assertStaff(viewer);
    const resource = await this.findVisible(viewer, uuid);
    await this.dataSource.getRepository(Resource).delete({ id: resource.id });
  }

  /** Loads the resource with its project and customer if `viewer` may see it, else throws 404. */
  async findVisible(viewer: User, uuid: string, manager: EntityManager = this.dataSource.manager): Promise<Resource> {
    const resource = await this.visibleQuery(viewer, manager).andWhere('resource.uuid = :uuid', { uuid }).getOne();
    if (!resource) throw new NotFoundException();
    return resource;
  }

  private visibleQuery(viewer: User, manager: EntityManager): SelectQueryBuilder<Resource> {
    const builder = manager
      .getRepository(Resource)
      .createQueryBuilder('resource')
      .innerJoinAndSelect('resource.project', 'project')
      .innerJoinAndSelect('project.customer', 'customer');
    if (isStaffOrSupport(viewer)) return builder;
    return builder.andWhere(
      `(project.customerId IN (${connectedCustomerIdsSql('viewerId')}) OR project.id IN (${connectedProjectIdsSql('viewerId')}))`,
      { viewerId: viewer.id },
    );
  }
}

export function toResourceResponse(resource: Resource, urls: ApiUrls): ResourceResponse {
  const project = resource.project;
  return {
    url: urls.detail('marketplace-resources', resource.uuid),
    uuid: formatUuid(resource.uuid),
    name: resource.name,
    resource_type: resource.resourceType,
    backend_id: resource.backendId,
    project: urls.detail('projects', project.uuid),
    project_uuid: formatUuid(project.uuid),
    project_name: project.name,
    customer: urls.detail('customers', project.customer.uuid),
    customer_uuid: formatUuid(project.customer.uuid),
    customer_name: project.customer.name,
    internal_ips: resource.internalIps,
    external_ips: resource.externalIps,
    created: resource.created,
  };
}
