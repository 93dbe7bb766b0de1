import { randomBytes } from 'node:crypto';

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { APP_CONFIG, AppConfig } from '../config/app.config';
import { SigningKey } from './signing-key.entity';

const GENERATED_KEY_NAME = 'default';
const GENERATED_KEY_BYTES = 48;

/**
 * The secret for signed tokens such as feedback links: `SECRET_KEY` when configured,
 * otherwise a random key generated on first use and stored in the database. Replicas
 * race to insert it with ON CONFLICT DO NOTHING and then all read the winner, so they agree.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit {
  private key?: Promise<string>;
  private loaded?: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Loads the key at boot, so a database problem stops the start instead of a later request. */
  async onModuleInit(): Promise<void> {
    await this.getKey();
  }

  /** Returns the signing key; it is cached after the first successful load. */
  getKey(): Promise<string> {
    if (!this.key) {
      this.key = this.loadKey();
      // A failed load is retried on the next call instead of being cached.
      this.key.catch(() => (this.key = undefined));
    }
    return this.key;
  }

  /**
   * Returns the key loaded at boot, for callers that sign synchronously. Throws when the
   * module has not initialised, which only a misconfigured context can cause.
   */
  currentKey(): string {
    if (this.loaded === undefined) throw new Error('The signing key is not loaded yet; SigningKeyService initialises at boot.');
    return this.loaded;
  }

  private async loadKey(): Promise<string> {
    this.loaded = await this.readOrCreateKey();
    return this.loaded;
  }

  private async readOrCreateKey(): Promise<string> {
    if (this.config.secretKey) return this.config.secretKey;

    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(SigningKey)
      .values({ name: GENERATED_KEY_NAME, secret: randomBytes(GENERATED_KEY_BYTES).toString('base64url') })
      .orIgnore()
      .execute();
    const stored = await this.dataSource.getRepository(SigningKey).findOneByOrFail({ name: GENERATED_KEY_NAME });
    return stored.secret;
  }
}
