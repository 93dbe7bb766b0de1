import { Module } from '@nestjs/common';

import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { LOGIN_THROTTLE_OPTIONS, loadLoginThrottleOptions } from './auth/login-throttle.config';
import { LoginThrottleService } from './auth/login-throttle.service';
import { TokenAuthGuard } from './auth/token-auth.guard';
import { CustomersController } from './customers/customers.controller';
import { CustomersService } from './customers/customers.service';
import { ProjectsController } from './projects/projects.controller';
import { ProjectsService } from './projects/projects.service';
import { RoleGrantsService } from './roles/role-grants.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

@Module({
  controllers: [AuthController, UsersController, CustomersController, ProjectsController],
  providers: [
    TokenAuthGuard,
    { provide: LOGIN_THROTTLE_OPTIONS, useFactory: () => loadLoginThrottleOptions() },
    LoginThrottleService,
    AuthService,
    UsersService,
    CustomersService,
    ProjectsService,
    RoleGrantsService,
  ],
  exports: [TokenAuthGuard, UsersService, CustomersService, ProjectsService],
})
export class IdentityModule {}
