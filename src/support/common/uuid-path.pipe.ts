import { Injectable, PipeTransform } from '@nestjs/common';

import { NotFoundException } from '../../common/errors/app.exception';
import { parseUuid } from '../../common/http/uuid';

/**
 * Reads the `{uuid}` of a detail route in any form `parseUuid` accepts (hyphens, braces as
 * HomePort sends them). A value that is no UUID can name nothing, so it is a 404.
 */
@Injectable()
export class UuidPathPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const uuid = parseUuid(value);
    if (!uuid) throw new NotFoundException();
    return uuid;
  }
}
