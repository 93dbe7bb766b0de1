import { Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

import { ValidationFailedException } from '../../common/errors/app.exception';
import { toFieldErrors } from '../../common/validation/drf-validation.pipe';
import { RequestTypeOrderDto, RequestTypeReorderDto } from './dto/request-type-write.dto';

/**
 * Validates the bare `[{uuid, order}]` body of `reorder`. Errors name the entry by index,
 * e.g. `{"1.order": ["A valid integer is required."]}`.
 */
@Injectable()
export class ReorderBodyPipe implements PipeTransform<unknown, Promise<RequestTypeOrderDto[]>> {
  async transform(value: unknown): Promise<RequestTypeOrderDto[]> {
    if (!Array.isArray(value)) {
      throw ValidationFailedException.nonField('Expected a list of {"uuid", "order"} items.');
    }
    if (value.length === 0) throw ValidationFailedException.nonField('This list may not be empty.');

    const body = plainToInstance(RequestTypeReorderDto, { items: value });
    const errors = await validate(body, { whitelist: true, forbidUnknownValues: false });
    const itemErrors = errors.flatMap((error) => error.children ?? []);
    if (itemErrors.length > 0) throw new ValidationFailedException(toFieldErrors(itemErrors));
    return body.items;
  }
}
