import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { ThrottledException } from '../../common/errors/app.exception';
import { LOGIN_THROTTLE_OPTIONS, LoginThrottleOptions } from './login-throttle.config';

interface FailureWindow {
  failures: string;
  retry_after: string | null;
}

/**
 * Counts failed password logins in the `login_failures` table, so every replica sharing
 * the database uses the same counts. The check and the insert are separate statements,
 * so concurrent attempts can pass the limit by the number in flight.
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger(LoginThrottleService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(LOGIN_THROTTLE_OPTIONS) private readonly options: LoginThrottleOptions,
  ) {}

  /** Raises 429 with `Retry-After` when the username or the client IP has used up its failures. */
  async assertNotThrottled(username: string, clientIp: string): Promise<void> {
    const byUsername = await this.window('username', normalizeUsername(username));
    const byClientIp = await this.window('client_ip', clientIp);
    const waits: number[] = [];
    if (Number(byUsername.failures) >= this.options.maxFailuresPerUsername) waits.push(retryAfterSeconds(byUsername));
    if (Number(byClientIp.failures) >= this.options.maxFailuresPerClientIp) waits.push(retryAfterSeconds(byClientIp));
    if (waits.length > 0) throw new ThrottledException(Math.max(...waits));
  }

  async recordFailure(username: string, clientIp: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_failures WHERE created < now() - make_interval(secs => $1)`, [this.options.windowSeconds]);
    await this.dataSource.query('INSERT INTO login_failures (username, client_ip) VALUES ($1, $2)', [normalizeUsername(username), clientIp]);
    this.logger.warn({ username: normalizeUsername(username), clientIp }, 'Failed password login');
  }

  /** Clears the username's failures after a successful login. The client IP's count stays. */
  async clearUsername(username: string): Promise<void> {
    await this.dataSource.query('DELETE FROM login_failures WHERE username = $1', [normalizeUsername(username)]);
  }

  private async window(column: 'username' | 'client_ip', value: string): Promise<FailureWindow> {
    // Retry-After: seconds until the oldest failure in the window leaves it.
    const [row] = await this.dataSource.query<FailureWindow[]>(
      `SELECT count(*) AS failures,
              ceil(extract(epoch FROM min(created) + make_interval(secs => $2) - now())) AS retry_after
         FROM login_failures
        WHERE ${column} = $1 AND created >= now() - make_interval(secs => $2)`,
      [value, this.options.windowSeconds],
    );
    return row;
  }
}

function normalizeUsername(username: string): string {
  return username.trim().toLowerCase().slice(0, 128);
}

function retryAfterSeconds(window: FailureWindow): number {
  return Math.max(1, Number(window.retry_after ?? 1));
}
