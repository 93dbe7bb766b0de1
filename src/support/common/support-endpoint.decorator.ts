import { SetMetadata } from '@nestjs/common';

export const SUPPORT_ENDPOINT = 'deskbridge:support-endpoint';

/**
 * Marks a controller (or one handler) as part of the support API, so `SupportEnabledGuard`
 * answers 424 on it while `WALDUR_SUPPORT_ENABLED` is false, before authentication runs.
 */
export const SupportEndpoint = () => SetMetadata(SUPPORT_ENDPOINT, true);
