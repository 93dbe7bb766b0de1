import { isEmail, isURL } from 'class-validator';

interface SettingBase {
  description: string;
  /**
   * Empty input (`""` or null) is accepted and means "unset", so the override is
   * cleared and the default applies again. Required settings reject empty input.
   */
  optional: boolean;
  /** Write-only over the API, where reads show a mask. Settings code logs only the key of a secret. */
  secret: boolean;
}

export interface BooleanSetting extends SettingBase {
  type: 'boolean';
  default: boolean;
}

export interface IntegerSetting extends SettingBase {
  type: 'integer';
  default: number;
  min?: number;
  max?: number;
}

export interface StringSetting extends SettingBase {
  type: 'string';
  default: string;
  /** A regular expression the whole value must match, with the message shown when it does not. */
  pattern?: { regex: RegExp; message: string };
}

/**
 * An absolute http(s) base URL that paths are appended to. Host names without a dot
 * (`http://jira:8080/`) are accepted; a user name or password, a query or a fragment is not.
 */
export interface UrlSetting extends SettingBase {
  type: 'url';
  default: string;
}

export interface EmailSetting extends SettingBase {
  type: 'email';
  default: string;
}

export interface EnumSetting<Choice extends string = string> extends SettingBase {
  type: 'enum';
  choices: readonly Choice[];
  default: Choice;
}

export type SettingDefinition = BooleanSetting | IntegerSetting | StringSetting | UrlSetting | EmailSetting | EnumSetting;

/** The TypeScript type of a setting's value. */
export type SettingValueOf<Definition extends SettingDefinition> = Definition extends BooleanSetting
  ? boolean
  : Definition extends IntegerSetting
    ? number
    : Definition extends EnumSetting<infer Choice>
      ? Choice
      : string;

interface DefinitionOptions {
  optional?: boolean;
  secret?: boolean;
}

export function booleanSetting(defaultValue: boolean, description: string): BooleanSetting {
  return { type: 'boolean', default: defaultValue, description, optional: false, secret: false };
}

export function integerSetting(
  defaultValue: number,
  description: string,
  range: { min?: number; max?: number } = {},
): IntegerSetting {
  return { type: 'integer', default: defaultValue, description, ...range, optional: false, secret: false };
}

export function stringSetting(
  defaultValue: string,
  description: string,
  options: DefinitionOptions & { pattern?: StringSetting['pattern'] } = {},
): StringSetting {
  return {
    type: 'string',
    default: defaultValue,
    description,
    pattern: options.pattern,
    optional: options.optional ?? false,
    secret: options.secret ?? false,
  };
}

/** Declares a password or token setting: optional, empty by default, and masked on reads. */
export function secretSetting(description: string): StringSetting {
  return stringSetting('', description, { optional: true, secret: true });
}

/** A line break or another C0 control character, or DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export const CONTROL_CHARACTER_MESSAGE = 'Remove the line break or other control character; credentials cannot contain them.';

/**
 * Declares a credential that is sent in an HTTP header (a token, or a user name and
 * password in basic auth), so control characters such as a pasted line break are rejected.
 */
export function credentialSetting(description: string, options: { secret: boolean } = { secret: true }): StringSetting {
  return stringSetting('', description, {
    optional: true,
    secret: options.secret,
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    pattern: { regex: /^[^\u0000-\u001f\u007f]*$/, message: CONTROL_CHARACTER_MESSAGE },
  });
}

export function urlSetting(defaultValue: string, description: string, options: DefinitionOptions = {}): UrlSetting {
  return { type: 'url', default: defaultValue, description, optional: options.optional ?? false, secret: false };
}

export function emailSetting(defaultValue: string, description: string, options: DefinitionOptions = {}): EmailSetting {
  return { type: 'email', default: defaultValue, description, optional: options.optional ?? false, secret: false };
}

export function enumSetting<const Choice extends string>(
  choices: readonly Choice[],
  defaultValue: NoInfer<Choice>,
  description: string,
): EnumSetting<Choice> {
  return { type: 'enum', choices, default: defaultValue, description, optional: false, secret: false };
}

/** The outcome of reading one input value: the typed value, null for "unset", or a DRF-style message. */
export type CoercionResult<Value> = { ok: true; value: Value | null } | { ok: false; error: string };

const TRUE_STRINGS = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_STRINGS = new Set(['false', 'f', 'no', 'n', 'off', '0']);
const INTEGER_PATTERN = /^[-+]?\d+$/;

/**
 * Converts an input value (JSON, or a form field string) to the setting's type and
 * validates it. Empty input (`""` or null) returns `value: null` for optional
 * settings, meaning "restore the default", and an error for required ones.
 */
export function coerceSettingValue<Definition extends SettingDefinition>(
  definition: Definition,
  input: unknown,
): CoercionResult<SettingValueOf<Definition>> {
  const result = coerceAny(definition, input);
  return result as CoercionResult<SettingValueOf<Definition>>;
}

function coerceAny(definition: SettingDefinition, input: unknown): CoercionResult<boolean | number | string> {
  if (input === null || input === undefined || input === '') {
    if (definition.optional) return { ok: true, value: null };
    if (input === '') return fail(emptyMessage(definition));
    return fail('This field may not be null.');
  }

  switch (definition.type) {
    case 'boolean':
      return coerceBoolean(input);
    case 'integer':
      return coerceInteger(definition, input);
    case 'string':
      return coerceString(definition, input);
    case 'url':
      return coerceUrl(input);
    case 'email':
      return coerceEmail(input);
    case 'enum':
      return coerceChoice(definition, input);
    default:
      return assertNever(definition);
  }
}

function coerceBoolean(input: unknown): CoercionResult<boolean> {
  if (typeof input === 'boolean') return { ok: true, value: input };
  if (input === 1 || input === 0) return { ok: true, value: input === 1 };
  if (typeof input === 'string') {
    const text = input.trim().toLowerCase();
    if (TRUE_STRINGS.has(text)) return { ok: true, value: true };
    if (FALSE_STRINGS.has(text)) return { ok: true, value: false };
  }
  return fail('Must be a valid boolean.');
}

function coerceInteger(definition: IntegerSetting, input: unknown): CoercionResult<number> {
  let value: number | undefined;
  if (typeof input === 'number' && Number.isSafeInteger(input)) value = input;
  if (typeof input === 'string' && INTEGER_PATTERN.test(input.trim())) value = Number(input.trim());
  if (value === undefined || !Number.isSafeInteger(value)) return fail('A valid integer is required.');

  if (definition.min !== undefined && value < definition.min) {
    return fail(`Ensure this value is greater than or equal to ${definition.min}.`);
  }
  if (definition.max !== undefined && value > definition.max) {
    return fail(`Ensure this value is less than or equal to ${definition.max}.`);
  }
  return { ok: true, value };
}

function coerceString(definition: StringSetting, input: unknown): CoercionResult<string> {
  // Numbers become strings, as in Django REST Framework's CharField. Other types are invalid.
  if (typeof input === 'number' && Number.isFinite(input)) input = String(input);
  if (typeof input !== 'string') return fail('Not a valid string.');
  if (definition.pattern && !definition.pattern.regex.test(input)) return fail(definition.pattern.message);
  return { ok: true, value: input };
}

function coerceUrl(input: unknown): CoercionResult<string> {
  if (typeof input !== 'string') return fail('Enter a valid URL.');
  const value = input.trim();
  const valid = isURL(value, { protocols: ['http', 'https'], require_protocol: true, require_tld: false });
  if (!valid) return fail('Enter a valid URL.');
  const problem = baseUrlProblem(value);
  return problem ? fail(problem) : { ok: true, value };
}

/**
 * Returns why `value` cannot be a base URL that API paths are appended to, or undefined
 * when it can. Credentials in the URL would bypass the credential settings, and a path
 * appended after a query or a fragment never reaches the server.
 */
export function baseUrlProblem(value: string): string | undefined {
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return 'Enter a valid URL.';
  }
  if (url.username || url.password || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(trimmed)) {
    return 'Enter the URL without a user name or password; set the credentials in their own settings.';
  }
  if (trimmed.includes('?')) return 'Enter the URL without a query string (the part from "?").';
  if (trimmed.includes('#')) return 'Enter the URL without a fragment (the part from "#").';
  return undefined;
}

function coerceEmail(input: unknown): CoercionResult<string> {
  if (typeof input !== 'string') return fail('Enter a valid email address.');
  const value = input.trim();
  return isEmail(value) ? { ok: true, value } : fail('Enter a valid email address.');
}

function coerceChoice(definition: EnumSetting, input: unknown): CoercionResult<string> {
  const value = typeof input === 'string' ? input.trim() : input;
  if (typeof value === 'string' && definition.choices.includes(value)) return { ok: true, value };
  return fail(`"${String(value)}" is not a valid choice.`);
}

function emptyMessage(definition: SettingDefinition): string {
  switch (definition.type) {
    case 'boolean':
      return 'Must be a valid boolean.';
    case 'integer':
      return 'A valid integer is required.';
    case 'enum':
      return '"" is not a valid choice.';
    case 'string':
    case 'url':
    case 'email':
      return 'This field may not be blank.';
    default:
      return assertNever(definition);
  }
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

function assertNever(value: never): never {
  throw new Error(`Unhandled setting type: ${JSON.stringify(value)}`);
}
