import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';

import { ConflictException, NotFoundException, PermissionDeniedException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import { applyOrdering } from '../../common/http/ordering';
import { Paginator } from '../../common/http/pagination';
import { parseUuid } from '../../common/http/uuid';
import { whereCustomerVisible } from '../access/visibility';
import { AddUserRoleDto, DeleteUserRoleDto } from '../roles/dto/user-role-request.dto';
import { ListUserRolesQueryDto } from '../roles/dto/list-user-roles-query.dto';
import { UserRoleDetailsDto } from '../roles/dto/user-role-details.dto';
import { RoleGrantsService } from '../roles/role-grants.service';
import { ACTIVE_GRANT, connectedCustomerIdsSql } from '../roles/role-queries';
import { containsPattern } from '../shared/like-pattern';
import { isForeignKeyViolation } from '../shared/database-errors';
import { User } from '../users/user.entity';
import { Customer } from './customer.entity';
import { CustomerRequestDto, PatchCustomerRequestDto } from './dto/customer-request.dto';
import { CustomerDto, toCustomerDto } from './dto/customer.dto';
import { ListCustomersQueryDto } from './dto/list-customers-query.dto';

const ORDERING = {
  name: 'customer.name',
  abbreviation: 'customer.abbreviation',
  native_name: 'customer.nativeName',
  created: 'customer.created',
};

/** Customers (organizations): staff create, change and delete them; others see those they have roles in. */
@Injectable()
export class CustomersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly roleGrants: RoleGrantsService,
  ) {}

  async list(actor: User, query: ListCustomersQueryDto, paginator: Paginator, urls: ApiUrls): Promise<CustomerDto[]> {
    const builder = whereCustomerVisible(this.dataSource.getRepository(Customer).createQueryBuilder('customer'), actor, 'customer');

    if (query.name !== undefined) builder.andWhere('customer.name ILIKE :name', { name: containsPattern(query.name) });
    if (query.name_exact !== undefined) builder.andWhere('customer.name = :nameExact', { nameExact: query.name_exact });
    if (query.abbreviation !== undefined) {
      builder.andWhere('customer.abbreviation ILIKE :abbreviation', { abbreviation: containsPattern(query.abbreviation) });
    }
    if (query.native_name !== undefined) {
      builder.andWhere('customer.nativeName ILIKE :nativeName', { nativeName: containsPattern(query.native_name) });
    }
    if (query.backend_id !== undefined) builder.andWhere('customer.backendId = :backendId', { backendId: query.backend_id });
    if (query.query !== undefined) {
      const pattern = containsPattern(query.query);
      builder.andWhere(
        new Brackets((where) => {
          where
            .where('customer.name ILIKE :pattern', { pattern })
            .orWhere('customer.abbreviation ILIKE :pattern')
            .orWhere('customer.nativeName ILIKE :pattern');
        }),
      );
    }
    if (query.owned_by_current_user === true) {
      builder.andWhere(`customer.id IN (${connectedCustomerIdsSql('ownerId', ['CUSTOMER.OWNER'])})`, { ownerId: actor.id });
    }
    if (query.user_uuid !== undefined) {
      const userUuid = parseUuid(query.user_uuid);
      if (!userUuid) throw ValidationFailedException.field('user_uuid', 'Enter a valid UUID.');
      builder.andWhere(
        `customer.id IN (SELECT grant_row.customer_id FROM role_grants grant_row
                          JOIN users role_user ON role_user.id = grant_row.user_id
                          WHERE role_user.uuid = :roleUserUuid AND grant_row.customer_id IS NOT NULL AND ${ACTIVE_GRANT})`,
        { roleUserUuid: userUuid },
      );
    }
    applyOrdering(builder, query.o, ORDERING, ['name']);

    const customers = await paginator.paginate(builder);
    return customers.map((customer) => toCustomerDto(customer, urls));
  }

  async retrieve(actor: User, uuid: string, urls: ApiUrls): Promise<CustomerDto> {
    return toCustomerDto(await this.findVisible(actor, uuid), urls);
  }

  async create(actor: User, body: CustomerRequestDto, urls: ApiUrls): Promise<CustomerDto> {
    if (!actor.isStaff) throw new PermissionDeniedException();
    const repository = this.dataSource.getRepository(Customer);
    const customer = await repository.save(repository.create(customerColumns(body)));
    return toCustomerDto(customer, urls);
  }

  async update(actor: User, uuid: string, body: CustomerRequestDto | PatchCustomerRequestDto, urls: ApiUrls): Promise<CustomerDto> {
    const customer = await this.findVisible(actor, uuid);
    if (!actor.isStaff) throw new PermissionDeniedException();
    const repository = this.dataSource.getRepository(Customer);
    const saved = await repository.save(repository.merge(customer, customerColumns(body)));
    return toCustomerDto(saved, urls);
  }

  /** Deletes a customer without projects; one with projects is a 409, as in Waldur. */
  async remove(actor: User, uuid: string): Promise<void> {
    const customer = await this.findVisible(actor, uuid);
    if (!actor.isStaff) throw new PermissionDeniedException();
    const projects = await this.dataSource.query<{ count: string }[]>('SELECT count(*) AS count FROM projects WHERE customer_id = $1', [customer.id]);
    if (Number(projects[0].count) > 0) throw new ConflictException('Cannot delete an organization with existing projects.');
    try {
      await this.dataSource.getRepository(Customer).delete(customer.id);
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new ConflictException('Cannot delete the organization: other records still refer to it.');
      throw error;
    }
  }

  async addUser(actor: User, uuid: string, body: AddUserRoleDto): Promise<{ expiration_time: string | null }> {
    const customer = await this.findVisible(actor, uuid);
    return this.roleGrants.addUser(actor, { kind: 'customer', customer }, body);
  }

  async deleteUser(actor: User, uuid: string, body: DeleteUserRoleDto): Promise<{ detail: string }> {
    const customer = await this.findVisible(actor, uuid);
    return this.roleGrants.deleteUser(actor, { kind: 'customer', customer }, body);
  }

  async listUsers(actor: User, uuid: string, query: ListUserRolesQueryDto, paginator: Paginator): Promise<UserRoleDetailsDto[]> {
    const customer = await this.findVisible(actor, uuid);
    return this.roleGrants.listUsers({ kind: 'customer', customer }, query, paginator);
  }

  /** Finds a customer `actor` may see; an unknown or hidden one is 404 alike. */
  async findVisible(actor: User, rawUuid: string): Promise<Customer> {
    const uuid = parseUuid(rawUuid);
    if (!uuid) throw new NotFoundException();
    const builder = this.dataSource.getRepository(Customer).createQueryBuilder('customer').where('customer.uuid = :uuid', { uuid });
    const customer = await whereCustomerVisible(builder, actor, 'customer').getOne();
    if (!customer) throw new NotFoundException();
    return customer;
  }
}

function customerColumns(body: Partial<CustomerRequestDto>): Partial<Customer> {
  const columns: Partial<Customer> = {};
  if (body.name !== undefined) columns.name = body.name;
  if (body.abbreviation !== undefined) columns.abbreviation = body.abbreviation;
  if (body.native_name !== undefined) columns.nativeName = body.native_name;
  if (body.email !== undefined) columns.email = body.email;
  if (body.description !== undefined) columns.description = body.description;
  if (body.backend_id !== undefined) columns.backendId = body.backend_id;
  return columns;
}
