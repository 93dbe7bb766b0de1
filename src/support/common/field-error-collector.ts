import { FieldErrors, ValidationFailedException } from '../../common/errors/app.exception';

/** Gathers field errors from several checks, so one 400 lists them all as DRF does. */
export class FieldErrorCollector {
  private readonly errors: FieldErrors = {};

  add(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }

  has(field: string): boolean {
    return field in this.errors;
  }

  /** Runs a check; its `ValidationFailedException` is recorded and `undefined` returned, anything else is rethrown. */
  async run<T>(check: () => Promise<T> | T): Promise<T | undefined> {
    try {
      return await check();
    } catch (error) {
      if (!(error instanceof ValidationFailedException) || !error.fieldErrors) throw error;
      for (const [field, messages] of Object.entries(error.fieldErrors)) {
        for (const message of messages) this.add(field, message);
      }
      return undefined;
    }
  }

  throwIfAny(): void {
    if (Object.keys(this.errors).length > 0) throw new ValidationFailedException(this.errors);
  }
}
