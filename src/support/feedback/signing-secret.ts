import { AppConfig } from '../../config/app.config';

/**
 * Returns the secret that signs feedback tokens and template download links.
 * TODO: take it from the settings' signing-key service once that exists, because it
 * generates and stores a key when SECRET_KEY is unset; until then SECRET_KEY is required.
 */
export function signingSecret(config: AppConfig): string {
  if (!config.secretKey) {
    throw new Error('SECRET_KEY is not set; feedback tokens and signed download links need it. Set SECRET_KEY (32 characters or more).');
  }
  return config.secretKey;
}
