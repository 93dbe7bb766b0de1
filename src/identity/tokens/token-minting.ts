import { EntityManager } from 'typeorm';

import { User } from '../users/user.entity';
import { AuthToken } from './auth-token.entity';
import { generateTokenKey, hashTokenKey } from './token-hash';

export interface MintedToken {
  /** The plain key; it exists only in this value and is never stored. */
  key: string;
  token: AuthToken;
}

/**
 * Returns the expiry of a token minted now: the user's `token_lifetime` seconds when set,
 * else `defaultLifetimeSeconds` (TOKEN_LIFETIME), else null for a token that never expires.
 */
export function tokenExpiry(user: Pick<User, 'tokenLifetime'>, defaultLifetimeSeconds: number | undefined, now = Date.now()): Date | null {
  const lifetime = user.tokenLifetime ?? defaultLifetimeSeconds;
  return lifetime ? new Date(now + lifetime * 1000) : null;
}

/** Stores a new token for `user` and drops the user's tokens that have already expired. */
export async function mintToken(manager: EntityManager, user: User, defaultLifetimeSeconds: number | undefined): Promise<MintedToken> {
  await manager.query('DELETE FROM auth_tokens WHERE user_id = $1 AND expires_at <= now()', [user.id]);
  const key = generateTokenKey();
  const token = await manager.getRepository(AuthToken).save({
    userId: user.id,
    keyHash: hashTokenKey(key),
    expiresAt: tokenExpiry(user, defaultLifetimeSeconds),
  });
  return { key, token };
}
