import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotIn, ValidateIf } from 'class-validator';

/**
 * Marks a body field that may be left out but, when sent, may not be null, because its
 * column is NOT NULL. (`@IsOptional` would let null through to the database.)
 */
export function OptionalNotNull(): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_object: object, value: unknown) => value !== undefined),
    IsNotIn([null], { message: 'This field may not be null.' }),
  );
}

const TRUE_VALUES = ['true', 'True', '1'];
const FALSE_VALUES = ['false', 'False', '0'];

/**
 * Declares a boolean query parameter, read as django-filter reads it ("true"/"false", "True"/"False", "1"/"0").
 * Any other value is kept as a string and fails validation with a 400 on that parameter.
 */
export function QueryBoolean(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      const last = Array.isArray(value) ? value[value.length - 1] : value;
      if (typeof last !== 'string') return last;
      if (TRUE_VALUES.includes(last)) return true;
      if (FALSE_VALUES.includes(last)) return false;
      return last;
    }),
    ValidateIf((_object: object, value: unknown) => value !== undefined),
    IsBoolean(),
  );
}

/** Keeps the last value of a query parameter sent more than once, as Django's `QueryDict.get` does. */
export function LastQueryValue(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value[value.length - 1] : value));
}

/** Collects a query parameter sent once or repeated into an array of strings. */
export function QueryList(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]));
}
