import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A generated secret for signing tokens, used when `SECRET_KEY` is not configured.
 * Internal: no API reads or writes this table.
 */
@Entity({ name: 'signing_keys' })
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 50 })
  name: string;

  /** 48 random bytes, base64url-encoded. */
  @Column({ type: 'text' })
  secret: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
