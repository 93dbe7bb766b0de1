import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

type JsonSchema = Record<string, unknown>;

const REFERENCE_DIR = join(process.env.DESKBRIDGE_SHARED_DIR ?? join(__dirname, '..', '..', '..', 'shared'), 'reference');

/**
 * Properties the original leaves out or sends as null although the schema declares them required or non-null, so
 * the contract accepts null for them (README, "Compatibility notes").
 */
const NULLABLE_OVERRIDES: Record<string, string[]> = {
  Issue: [
    'link',
    'reporter',
    'reporter_uuid',
    'reporter_name',
    'resource',
    'resource_type',
    'resource_name',
    'order_uuid',
    'order_project_uuid',
    'order_customer_uuid',
    'order_resource_name',
    'processing_log',
    'template',
  ],
  Comment: ['author_uuid', 'author_user', 'author_email'],
  Attachment: ['file'],
};

/** Validates response bodies against the component schemas of a reference OpenAPI file. */
export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  readonly schemaNames: string[];

  constructor(fileName = 'waldur-support-openapi-8.0.5.yaml') {
    const document = parse(readFileSync(join(REFERENCE_DIR, fileName), 'utf8')) as {
      components: { schemas: Record<string, JsonSchema> };
    };
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    // A uuid is 32 lowercase hex characters in this API.
    this.ajv.addFormat('uuid', /^[0-9a-f]{32}$/);

    const schemas: Record<string, JsonSchema> = {};
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      schemas[name] = convert(relaxNullability(name, schema));
    }
    this.ajv.addSchema({ $id: 'components', definitions: schemas });
    this.schemaNames = Object.keys(schemas);
  }

  /** Returns the validation errors of `body` against component `schemaName`, or [] when it conforms. */
  errors(schemaName: string, body: unknown): string[] {
    let validate = this.validators.get(schemaName);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `components#/definitions/${schemaName}` });
      this.validators.set(schemaName, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
  }
}

function relaxNullability(name: string, schema: JsonSchema): JsonSchema {
  const overrides = NULLABLE_OVERRIDES[name];
  if (!overrides || typeof schema.properties !== 'object') return schema;
  const properties = { ...(schema.properties as Record<string, JsonSchema>) };
  for (const property of overrides) {
    if (properties[property]) properties[property] = { ...properties[property], nullable: true };
  }
  return { ...schema, properties };
}

/** Turns an OpenAPI 3.0 schema into JSON Schema: `nullable`, local `$ref`s, read/write-only hints. */
function convert(schema: unknown): JsonSchema {
  if (Array.isArray(schema)) return schema.map(convert) as unknown as JsonSchema;
  if (!schema || typeof schema !== 'object') return schema as JsonSchema;

  const source = schema as JsonSchema;
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(source)) {
    if (['nullable', 'readOnly', 'writeOnly', 'example', 'examples', 'discriminator', 'xml', 'externalDocs', 'deprecated'].includes(key)) continue;
    if (key === '$ref' && typeof value === 'string') {
      result.$ref = value.replace('#/components/schemas/', 'components#/definitions/');
    } else if (key === 'properties' && value && typeof value === 'object') {
      result.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, convert(property)]));
    } else {
      result[key] = convert(value);
    }
  }

  if (source.nullable === true) {
    if (typeof result.type === 'string') {
      result.type = [result.type, 'null'];
      if (Array.isArray(result.enum)) result.enum = [...result.enum, null];
    } else {
      return { anyOf: [result, { type: 'null' }] };
    }
  }
  return result;
}
