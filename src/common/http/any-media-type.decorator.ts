import { SetMetadata } from '@nestjs/common';

export const ANY_MEDIA_TYPE = 'deskbridge:any-media-type';

/**
 * Exempts a handler (or a controller) from `MediaTypeGuard`, for routes that read the raw
 * body of any content type themselves, such as webhook receivers.
 */
export const AcceptsAnyMediaType = () => SetMetadata(ANY_MEDIA_TYPE, true);
