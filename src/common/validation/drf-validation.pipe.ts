import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';

import { FieldErrors, ValidationFailedException } from '../errors/app.exception';

/** DRF's wording for the constraints our DTOs use; other constraints keep their own message. */
const DRF_MESSAGES: Record<string, (message: string) => string> = {
  isDefined: () => 'This field is required.',
  isNotEmpty: () => 'This field may not be blank.',
  isInt: () => 'A valid integer is required.',
  isNumber: () => 'A valid number is required.',
  isBoolean: () => 'Must be a valid boolean.',
  isString: () => 'Not a valid string.',
  isEmail: () => 'Enter a valid email address.',
  isUrl: () => 'Enter a valid URL.',
  isDateString: () => 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
  isISO8601: () => 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
  maxLength: (message) => `Ensure this field has no more than ${firstNumber(message)} characters.`,
  minLength: (message) => `Ensure this field has at least ${firstNumber(message)} characters.`,
  min: (message) => `Ensure this value is greater than or equal to ${firstNumber(message)}.`,
  max: (message) => `Ensure this value is less than or equal to ${firstNumber(message)}.`,
  isArray: () => 'Expected a list of items.',
  isObject: () => 'Expected an object.',
  whitelistValidation: () => 'This field is not allowed.',
};

// `isNotIn([null])` is how DTOs reject an explicit null, a presence check in DRF's terms.
const PRESENCE_CONSTRAINTS = ['isDefined', 'isNotEmpty', 'isNotIn'];
const TYPE_CONSTRAINTS = ['isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject', 'isEmail', 'isUrl', 'isDateString', 'isISO8601', 'isEnum', 'isIn'];

function constraintRank(name: string): number {
  if (PRESENCE_CONSTRAINTS.includes(name)) return 0;
  if (TYPE_CONSTRAINTS.includes(name)) return 1;
  return 2;
}

function firstNumber(message: string): string {
  return /-?\d+(\.\d+)?/.exec(message)?.[0] ?? '';
}

/** Flattens class-validator errors into DRF field errors, nested paths joined with dots. */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      // DRF reports one message per field: presence first, then type, then the rest.
      const [name, message] = Object.entries(error.constraints).sort(
        ([left], [right]) => constraintRank(left) - constraintRank(right),
      )[0];
      result[field] = [DRF_MESSAGES[name]?.(message) ?? message];
    }
    if (error.children?.length) Object.assign(result, toFieldErrors(error.children, field));
  }
  return result;
}

/**
 * Validates and transforms DTOs, reporting failures in DRF's 400 shape. Query strings are
 * forgiving as DRF's filters are: empty parameters count as absent and unknown ones are dropped.
 */
@Injectable()
export class DrfValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidUnknownValues: false,
      transformOptions: { enableImplicitConversion: false },
      exceptionFactory: (errors) => new ValidationFailedException(toFieldErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') rejectNullCharacters(value);
    if (metadata.type === 'query' && value && typeof value === 'object') {
      value = dropEmptyParameters(value as Record<string, unknown>);
    }
    if (metadata.type === 'body' && expectsObject(metadata.metatype)) {
      if (value === undefined) value = {};
      assertDictionary(value);
    }
    return super.transform(value, metadata);
  }
}

/** Tells whether the body parameter is typed as an object: a DTO class or a record, not a list or a primitive. */
function expectsObject(metatype: ArgumentMetadata['metatype']): boolean {
  return metatype !== undefined && ![Array, String, Number, Boolean].includes(metatype as never);
}

/** Rejects a request body that is not a JSON object, in DRF's words. */
export function assertDictionary(value: unknown): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw ValidationFailedException.nonField(`Invalid data. Expected a dictionary, but got ${pythonTypeName(value)}.`);
  }
}

/** Returns the Python type name DRF reports in "Expected a dictionary, but got ..." for a JSON value. */
function pythonTypeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return typeof value;
}

/**
 * Rejects strings holding U+0000, which PostgreSQL cannot store in text; DRF rejects them in
 * every character field with the same message.
 */
function rejectNullCharacters(value: unknown, path = ''): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw ValidationFailedException.field(path || 'non_field_errors', 'Null characters are not allowed.');
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item) => rejectNullCharacters(item, path));
    return;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value)) rejectNullCharacters(item, path ? `${path}.${key}` : key);
  }
}

function dropEmptyParameters(query: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(query)) {
    if (Array.isArray(raw)) {
      const values = raw.filter((item) => item !== '');
      if (values.length > 0) result[key] = values;
    } else if (raw !== '' && raw !== undefined) {
      result[key] = raw;
    }
  }
  return result;
}
