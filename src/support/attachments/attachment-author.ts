import { EntityManager } from 'typeorm';

import type { User } from '../../identity/users/user.entity';
import { SupportUser } from '../support-users/support-user.entity';

/**
 * Returns the active support user linked to `user` in `backendName`, creating a local one
 * (no backend id yet) when there is none. Uploads record it as their author.
 */
export async function findOrCreateAuthor(manager: EntityManager, user: User, backendName: string): Promise<SupportUser> {
  const repository = manager.getRepository(SupportUser);
  const existing = await repository.findOne({ where: { userId: user.id, backendName, isActive: true }, order: { id: 'ASC' } });
  if (existing) return existing;
  return repository.save(repository.create({ userId: user.id, backendName, name: displayName(user), backendId: null, isActive: true }));
}

function displayName(user: User): string {
  return (user.fullName.trim() || user.username).slice(0, 150);
}
