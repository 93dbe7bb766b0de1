import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { NotAuthenticatedException } from '../../common/errors/app.exception';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { mintToken } from '../tokens/token-minting';
import { User } from '../users/user.entity';
import { ObtainTokenDto } from './dto/obtain-token.dto';
import { LoginThrottleService } from './login-throttle.service';
import { verifyPassword } from './password-hash';

export const INVALID_CREDENTIALS_MESSAGE = 'Invalid username or password.';
export const INACTIVE_USER_MESSAGE = 'User account is disabled.';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly throttle: LoginThrottleService,
  ) {}

  /** Checks a username and password and mints a new token; every failure is counted toward throttling. */
  async obtainToken(credentials: ObtainTokenDto, clientIp: string): Promise<{ token: string }> {
    await this.throttle.assertNotThrottled(credentials.username, clientIp);

    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.username = :username', { username: credentials.username })
      .getOne();
    // verifyPassword spends the time of one hash even without a user, so timing reveals no usernames.
    const passwordMatches = await verifyPassword(credentials.password, user?.passwordHash);
    if (!user || !passwordMatches) {
      await this.throttle.recordFailure(credentials.username, clientIp);
      throw new NotAuthenticatedException(INVALID_CREDENTIALS_MESSAGE);
    }
    if (!user.isActive) throw new NotAuthenticatedException(INACTIVE_USER_MESSAGE);

    await this.throttle.clearUsername(credentials.username);
    const { key } = await mintToken(this.dataSource.manager, user, this.config.tokenLifetimeSeconds);
    return { token: key };
  }
}
