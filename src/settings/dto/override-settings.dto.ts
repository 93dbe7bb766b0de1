import { SchemaObject } from '@nestjs/swagger';

import { SettingDefinition } from '../setting-definition';
import { SECRET_MASK } from '../override-settings.service';
import { SETTING_KEYS, SETTINGS } from '../settings.registry';

/**
 * Builds the OpenAPI schema of the settings object from the registry. Reads and
 * writes share it, and form posts send the same keys with string values.
 */
export function overrideSettingsSchema(): SchemaObject {
  const properties: Record<string, SchemaObject> = {};
  for (const key of SETTING_KEYS) properties[key] = propertySchema(SETTINGS[key]);
  return { type: 'object', properties };
}

function propertySchema(definition: SettingDefinition): SchemaObject {
  let description = definition.description;
  if (definition.secret) {
    description += ` Write-only: reads return "${SECRET_MASK}" when set and "" when unset, and posting "${SECRET_MASK}" keeps the stored value.`;
  } else if (definition.optional) {
    description += ' An empty value restores the default.';
  }
  const common = { description, default: definition.default };

  switch (definition.type) {
    case 'boolean':
      return { ...common, type: 'boolean' };
    case 'integer':
      return { ...common, type: 'integer', minimum: definition.min, maximum: definition.max };
    case 'string':
      return { ...common, type: 'string', pattern: definition.pattern?.regex.source };
    case 'url':
      return { ...common, type: 'string', format: 'uri' };
    case 'email':
      return { ...common, type: 'string', format: 'email' };
    case 'enum':
      return { ...common, type: 'string', enum: [...definition.choices] };
  }
}
