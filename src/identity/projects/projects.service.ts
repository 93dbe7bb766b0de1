import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { ConflictException, NotFoundException, PermissionDeniedException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls, uuidFromHyperlink } from '../../common/http/api-urls';
import { applyOrdering } from '../../common/http/ordering';
import { Paginator } from '../../common/http/pagination';
import { parseUuid } from '../../common/http/uuid';
import { whereCustomerVisible, whereProjectVisible } from '../access/visibility';
import { Customer } from '../customers/customer.entity';
import { ListUserRolesQueryDto } from '../roles/dto/list-user-roles-query.dto';
import { UserRoleDetailsDto } from '../roles/dto/user-role-details.dto';
import { AddUserRoleDto, DeleteUserRoleDto } from '../roles/dto/user-role-request.dto';
import { RoleGrantsService } from '../roles/role-grants.service';
import { hasCustomerRole, hasProjectRole } from '../roles/role-queries';
import { isForeignKeyViolation } from '../shared/database-errors';
import { containsPattern } from '../shared/like-pattern';
import { User } from '../users/user.entity';
import { ListProjectsQueryDto } from './dto/list-projects-query.dto';
import { PatchProjectRequestDto, ProjectRequestDto } from './dto/project-request.dto';
import { ProjectDto, toProjectDto } from './dto/project.dto';
import { Project } from './project.entity';

const ORDERING = {
  name: 'project.name',
  created: 'project.created',
  customer_name: 'customer.name',
  customer_abbreviation: 'customer.abbreviation',
  customer_native_name: 'customer.nativeName',
};

const INVALID_CUSTOMER_MESSAGE = 'Invalid hyperlink - Object does not exist.';

/**
 * Projects: staff and owners of the customer create and delete them; project managers may
 * also edit them. Others see the projects they or their customer roles give them.
 */
@Injectable()
export class ProjectsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly roleGrants: RoleGrantsService,
  ) {}

  async list(actor: User, query: ListProjectsQueryDto, paginator: Paginator, urls: ApiUrls): Promise<ProjectDto[]> {
    const builder = whereProjectVisible(this.projectQuery(), actor, 'project');

    if (query.name !== undefined) builder.andWhere('project.name ILIKE :name', { name: containsPattern(query.name) });
    if (query.name_exact !== undefined) builder.andWhere('project.name = :nameExact', { nameExact: query.name_exact });
    if (query.query !== undefined) builder.andWhere('project.name ILIKE :query', { query: containsPattern(query.query) });
    if (query.description !== undefined) {
      builder.andWhere('project.description ILIKE :description', { description: containsPattern(query.description) });
    }
    if (query.backend_id !== undefined) builder.andWhere('project.backendId = :backendId', { backendId: query.backend_id });
    if (query.customer !== undefined) {
      const customerUuids = query.customer.map((value) => uuidFromHyperlink(value, 'customers'));
      if (customerUuids.some((uuid) => uuid === undefined)) throw ValidationFailedException.field('customer', 'Enter a valid UUID.');
      builder.andWhere('customer.uuid IN (:...customerUuids)', { customerUuids });
    }
    if (query.customer_name !== undefined) {
      builder.andWhere('customer.name ILIKE :customerName', { customerName: containsPattern(query.customer_name) });
    }
    if (query.customer_abbreviation !== undefined) {
      builder.andWhere('customer.abbreviation ILIKE :customerAbbreviation', { customerAbbreviation: containsPattern(query.customer_abbreviation) });
    }
    applyOrdering(builder, query.o, ORDERING, ['-created']);

    const projects = await paginator.paginate(builder);
    return projects.map((project) => toProjectDto(project, urls));
  }

  async retrieve(actor: User, uuid: string, urls: ApiUrls): Promise<ProjectDto> {
    return toProjectDto(await this.findVisible(actor, uuid), urls);
  }

  /** Creates a project; a customer the caller cannot see is a 400 on `customer`, one they do not own a 403. */
  async create(actor: User, body: ProjectRequestDto, urls: ApiUrls): Promise<ProjectDto> {
    const customer = await this.findCustomerFromBody(actor, body.customer);
    if (!(await this.isStaffOrOwner(actor, customer.id))) throw new PermissionDeniedException();

    const repository = this.dataSource.getRepository(Project);
    const saved = await repository.save(
      repository.create({ name: body.name, customerId: customer.id, description: body.description ?? '', backendId: body.backend_id ?? '' }),
    );
    return toProjectDto({ ...saved, customer }, urls);
  }

  /** Updates a project; the customer of a project cannot change. */
  async update(actor: User, uuid: string, body: ProjectRequestDto | PatchProjectRequestDto, urls: ApiUrls): Promise<ProjectDto> {
    const project = await this.findVisible(actor, uuid);
    const mayEdit =
      (await this.isStaffOrOwner(actor, project.customerId)) ||
      (await hasProjectRole(this.dataSource.manager, actor.id, project.id, ['PROJECT.MANAGER']));
    if (!mayEdit) throw new PermissionDeniedException();

    if (body.customer !== undefined) {
      const customer = await this.findCustomerFromBody(actor, body.customer);
      if (customer.id !== project.customerId) throw ValidationFailedException.field('customer', 'The customer of a project cannot be changed.');
    }
    const changes: Partial<Project> = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.description !== undefined) changes.description = body.description;
    if (body.backend_id !== undefined) changes.backendId = body.backend_id;
    await this.dataSource.getRepository(Project).update(project.id, changes);
    return toProjectDto({ ...project, ...changes }, urls);
  }

  async remove(actor: User, uuid: string): Promise<void> {
    const project = await this.findVisible(actor, uuid);
    if (!(await this.isStaffOrOwner(actor, project.customerId))) throw new PermissionDeniedException();
    try {
      await this.dataSource.getRepository(Project).delete(project.id);
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new ConflictException('Cannot delete the project: other records still refer to it.');
      throw error;
    }
  }

  async addUser(actor: User, uuid: string, body: AddUserRoleDto): Promise<{ expiration_time: string | null }> {
    const project = await this.findVisible(actor, uuid);
    return this.roleGrants.addUser(actor, { kind: 'project', project }, body);
  }

  async deleteUser(actor: User, uuid: string, body: DeleteUserRoleDto): Promise<{ detail: string }> {
    const project = await this.findVisible(actor, uuid);
    return this.roleGrants.deleteUser(actor, { kind: 'project', project }, body);
  }

  async listUsers(actor: User, uuid: string, query: ListUserRolesQueryDto, paginator: Paginator): Promise<UserRoleDetailsDto[]> {
    const project = await this.findVisible(actor, uuid);
    return this.roleGrants.listUsers({ kind: 'project', project }, query, paginator);
  }

  /** Finds a project `actor` may see, with its customer; an unknown or hidden one is 404 alike. */
  async findVisible(actor: User, rawUuid: string): Promise<Project> {
    const uuid = parseUuid(rawUuid);
    if (!uuid) throw new NotFoundException();
    const project = await whereProjectVisible(this.projectQuery().where('project.uuid = :uuid', { uuid }), actor, 'project').getOne();
    if (!project) throw new NotFoundException();
    return project;
  }

  private projectQuery() {
    return this.dataSource.getRepository(Project).createQueryBuilder('project').innerJoinAndSelect('project.customer', 'customer');
  }

  private async findCustomerFromBody(actor: User, value: string): Promise<Customer> {
    const uuid = uuidFromHyperlink(value, 'customers');
    if (!uuid) throw ValidationFailedException.field('customer', 'Invalid hyperlink - No URL match.');
    const builder = this.dataSource.getRepository(Customer).createQueryBuilder('customer').where('customer.uuid = :uuid', { uuid });
    const customer = await whereCustomerVisible(builder, actor, 'customer').getOne();
    if (!customer) throw ValidationFailedException.field('customer', INVALID_CUSTOMER_MESSAGE);
    return customer;
  }

  private async isStaffOrOwner(actor: User, customerId: number): Promise<boolean> {
    return actor.isStaff || hasCustomerRole(this.dataSource.manager, actor.id, customerId, ['CUSTOMER.OWNER']);
  }
}
