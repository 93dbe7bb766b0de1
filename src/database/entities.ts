import { Customer } from '../identity/customers/customer.entity';
import { Project } from '../identity/projects/project.entity';
import { RoleGrant } from '../identity/roles/role-grant.entity';
import { AuthToken } from '../identity/tokens/auth-token.entity';
import { User } from '../identity/users/user.entity';
import { Setting } from '../settings/setting.entity';
import { SigningKey } from '../settings/signing-key.entity';

/** Every TypeORM entity of the app, listed once for the app, the CLI and `ormconfig.ts`. */
export const ENTITIES: Function[] = [User, Customer, Project, RoleGrant, AuthToken, Setting, SigningKey];
