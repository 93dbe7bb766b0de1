import { Injectable } from '@nestjs/common';

import { ValidationFailedException } from '../../common/errors/app.exception';
import { SettingsService } from '../../settings/settings.service';
import { SupportBackend } from '../backends/support-backend';

const MEBIBYTE = 1024 * 1024;
const DEFAULT_MAX_SIZE_MB = 25;

/** Upload rules for issue attachments, read from runtime settings on every request. */
@Injectable()
export class AttachmentLimitsService {
  constructor(
    private readonly settings: SettingsService,
    private readonly backend: SupportBackend,
  ) {}

  /** `SUPPORT_ATTACHMENT_MAX_SIZE_MB` (1 MB = 2^20 bytes), or the active backend's own limit when that is lower. */
  maxFileBytes(): number {
    const ownLimit = configuredMaxBytes(this.settings.get('SUPPORT_ATTACHMENT_MAX_SIZE_MB'));
    const backendLimit = this.backend.maxAttachmentBytes;
    return backendLimit !== undefined && backendLimit > 0 ? Math.min(ownLimit, backendLimit) : ownLimit;
  }

  /**
   * Rejects a file whose extension is listed in `ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES`.
   * Extensions are compared whole and case-insensitively; a name without one is accepted.
   */
  checkFileName(fileName: string): void {
    const extension = fileExtension(fileName);
    if (!extension) return;
    if (excludedExtensions(this.settings.get('ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES')).has(extension)) {
      throw ValidationFailedException.field('file', `Files with the ${extension} extension are not accepted.`);
    }
  }
}

/** Converts `SUPPORT_ATTACHMENT_MAX_SIZE_MB` to bytes, using the default of 25 MB for a missing or invalid value. */
export function configuredMaxBytes(raw: unknown): number {
  const megabytes = Number(raw);
  return Math.floor((Number.isFinite(megabytes) && megabytes > 0 ? megabytes : DEFAULT_MAX_SIZE_MB) * MEBIBYTE);
}

/** Parses a list such as ".exe, bat,.CMD" into {".exe", ".bat", ".cmd"}. */
export function excludedExtensions(raw: unknown): Set<string> {
  const entries = String(raw ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '' && entry !== '.');
  return new Set(entries.map((entry) => (entry.startsWith('.') ? entry : `.${entry}`)));
}

/**
 * Returns the lowercase extension with its dot (".exe"), or "" when there is none.
 * Trailing dots and spaces are ignored because Windows drops them ("run.exe." opens as
 * "run.exe"). A leading dot alone (".bashrc") marks a hidden file, not an extension.
 */
export function fileExtension(fileName: string): string {
  const name = fileName.replace(/[. ]+$/, '');
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return '';
  return name.slice(dot).toLowerCase();
}
