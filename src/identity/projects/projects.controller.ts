import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import { ListUserRolesQueryDto } from '../roles/dto/list-user-roles-query.dto';
import { AddUserRoleDto, DeleteUserRoleDto } from '../roles/dto/user-role-request.dto';
import { User } from '../users/user.entity';
import { ProjectsService } from './projects.service';
import { ProjectRequestDto, PatchProjectRequestDto } from './dto/project-request.dto';
import { ListProjectsQueryDto } from './dto/list-projects-query.dto';

@ApiTags('projects')
@Controller('api/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @ApiOperation({ operationId: 'projects_list' })
  list(@CurrentUser() actor: User, @Query() query: ListProjectsQueryDto, @Pagination() paginator: Paginator, @Urls() urls: ApiUrls) {
    return this.projects.list(actor, query, paginator, urls);
  }

  @Post()
  @ApiOperation({ operationId: 'projects_create' })
  create(@CurrentUser() actor: User, @Body() body: ProjectRequestDto, @Urls() urls: ApiUrls) {
    return this.projects.create(actor, body, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'projects_retrieve' })
  retrieve(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Urls() urls: ApiUrls) {
    return this.projects.retrieve(actor, uuid, urls);
  }

  @Put(':uuid')
  @ApiOperation({ operationId: 'projects_update' })
  update(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Body() body: ProjectRequestDto, @Urls() urls: ApiUrls) {
    return this.projects.update(actor, uuid, body, urls);
  }

  @Patch(':uuid')
  @ApiOperation({ operationId: 'projects_partial_update' })
  partialUpdate(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Body() body: PatchProjectRequestDto, @Urls() urls: ApiUrls) {
    return this.projects.update(actor, uuid, body, urls);
  }

  @Delete(':uuid')
  @HttpCode(204)
  @ApiOperation({ operationId: 'projects_destroy' })
  remove(@CurrentUser() actor: User, @Param('uuid') uuid: string) {
    return this.projects.remove(actor, uuid);
  }

  @Post(':uuid/add_user')
  @ApiOperation({ operationId: 'projects_add_user', summary: 'Grant a role to a user' })
  addUser(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Body() body: AddUserRoleDto) {
    return this.projects.addUser(actor, uuid, body);
  }

  @Post(':uuid/delete_user')
  @HttpCode(200)
  @ApiOperation({ operationId: 'projects_delete_user', summary: 'Revoke a role from a user' })
  deleteUser(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Body() body: DeleteUserRoleDto) {
    return this.projects.deleteUser(actor, uuid, body);
  }

  @Get(':uuid/list_users')
  @ApiOperation({ operationId: 'projects_list_users_list', summary: 'List users and their roles in a scope' })
  listUsers(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Query() query: ListUserRolesQueryDto, @Pagination() paginator: Paginator) {
    return this.projects.listUsers(actor, uuid, query, paginator);
  }
}
