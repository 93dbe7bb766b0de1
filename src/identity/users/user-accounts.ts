import { EntityManager } from 'typeorm';

import { ValidationFailedException } from '../../common/errors/app.exception';
import { hashPassword } from '../auth/password-hash';
import { passwordProblem } from '../auth/password-policy';
import { isUniqueViolation } from '../shared/database-errors';
import { User } from './user.entity';

/** Usernames as Waldur accepts them: lowercase letters, digits and @ . + - _. */
export const USERNAME_PATTERN = /^[0-9a-z_.@+-]+$/;
export const USERNAME_MESSAGE = 'Enter a valid username. This value may contain only lowercase letters, numbers, and @/./+/-/_ characters.';
export const USERNAME_TAKEN_MESSAGE = 'A user with that username already exists.';

export function composeFullName(firstName: string, lastName: string): string {
  return `${firstName} ${lastName}`.trim();
}

export interface NewUserFields {
  username: string;
  email: string;
  firstName?: string;
  lastName?: string;
  isStaff?: boolean;
  isSupport?: boolean;
  isActive?: boolean;
  tokenLifetime?: number | null;
  /** Plain password, hashed before it is stored; omitted for users who log in with a token only. */
  password?: string;
}

/**
 * Inserts a user, shared by the API and the CLI. Raises a 400 on `username` when it is
 * taken and on `password` when the password policy rejects it.
 */
export async function insertUser(manager: EntityManager, fields: NewUserFields): Promise<User> {
  if (fields.password !== undefined) {
    const problem = passwordProblem(fields.password);
    if (problem) throw ValidationFailedException.field('password', problem);
  }
  const repository = manager.getRepository(User);
  if (await repository.exists({ where: { username: fields.username } })) {
    throw ValidationFailedException.field('username', USERNAME_TAKEN_MESSAGE);
  }

  const firstName = fields.firstName ?? '';
  const lastName = fields.lastName ?? '';
  const passwordHash = fields.password !== undefined ? await hashPassword(fields.password) : null;
  try {
    const user = await repository.save(
      repository.create({
        username: fields.username,
        email: fields.email,
        firstName,
        lastName,
        fullName: composeFullName(firstName, lastName),
        isStaff: fields.isStaff ?? false,
        isSupport: fields.isSupport ?? false,
        isActive: fields.isActive ?? true,
        tokenLifetime: fields.tokenLifetime ?? null,
        passwordHash,
      }),
    );
    delete (user as Partial<User>).passwordHash;
    return user;
  } catch (error) {
    // Another request took the username between the check and the insert.
    if (isUniqueViolation(error, 'users_username_key')) throw ValidationFailedException.field('username', USERNAME_TAKEN_MESSAGE);
    throw error;
  }
}
