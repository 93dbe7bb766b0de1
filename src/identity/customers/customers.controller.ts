import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import { ListUserRolesQueryDto } from '../roles/dto/list-user-roles-query.dto';
import { AddUserRoleDto, DeleteUserRoleDto } from '../roles/dto/user-role-request.dto';
import { User } from '../users/user.entity';
import { CustomersService } from './customers.service';
import { CustomerRequestDto, PatchCustomerRequestDto } from './dto/customer-request.dto';
import { ListCustomersQueryDto } from './dto/list-customers-query.dto';

@ApiTags('customers')
@Controller('api/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @ApiOperation({ operationId: 'customers_list' })
  list(@CurrentUser() actor: User, @Query() query: ListCustomersQueryDto, @Pagination() paginator: Paginator, @Urls() urls: ApiUrls) {
    return this.customers.list(actor, query, paginator, urls);
  }

  @Post()
  @ApiOperation({ operationId: 'customers_create' })
  create(@CurrentUser() actor: User, @Body() body: CustomerRequestDto, @Urls() urls: ApiUrls) {
    return this.customers.create(actor, body, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'customers_retrieve' })
  retrieve(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Urls() urls: ApiUrls) {
    return this.customers.retrieve(actor, uuid, urls);
  }

  @Put(':uuid')
  @ApiOperation({ operationId: 'customers_update' })
  update(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Body() body: CustomerRequestDto, @Urls() urls: ApiUrls) {
    return this.customers.update(actor, uuid, body, urls);
  }

  @Patch(':uuid')
  @ApiOperation({ operationId: 'customers_partial_update' })
  partialUpdate(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Body() body: PatchCustomerRequestDto, @Urls() urls: ApiUrls) {
    return this.customers.update(actor, uuid, body, urls);
  }

  @Delete(':uuid')
  @HttpCode(204)
  @ApiOperation({ operationId: 'customers_destroy' })
  remove(@CurrentUser() actor: User, @Param('uuid') uuid: string) {
    return this.customers.remove(actor, uuid);
  }

  @Post(':uuid/add_user')
  @ApiOperation({ operationId: 'customers_add_user', summary: 'Grant a role to a user' })
  addUser(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Body() body: AddUserRoleDto) {
    return this.customers.addUser(actor, uuid, body);
  }

  @Post(':uuid/delete_user')
  @HttpCode(200)
  @ApiOperation({ operationId: 'customers_delete_user', summary: 'Revoke a role from a user' })
  deleteUser(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Body() body: DeleteUserRoleDto) {
    return this.customers.deleteUser(actor, uuid, body);
  }

  @Get(':uuid/list_users')
  @ApiOperation({ operationId: 'customers_list_users_list', summary: 'List users and their roles in a scope' })
  listUsers(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Query() query: ListUserRolesQueryDto, @Pagination() paginator: Paginator) {
    return this.customers.listUsers(actor, uuid, query, paginator);
  }
}
