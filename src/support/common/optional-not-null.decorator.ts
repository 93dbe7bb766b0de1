import { ValidateIf } from 'class-validator';

/**
 * Marks a field that may be left out but may not be null. Unlike `@IsOptional()`, which
 * skips null too, a null value still runs the field's validators and so is a 400.
 */
export const OptionalNotNull = () => ValidateIf((_, value) => value !== undefined);
