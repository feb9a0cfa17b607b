/**
 * `tandem config schema`: the JSON Schema of tandem.yaml, for editor completion and validation
 * (e.g. `# yaml-language-server: $schema=./tandem.schema.json` at the top of the file).
 * Generated from the zod schema, for its INPUT side (defaults are optional, as in the file).
 */
import { z } from 'zod';
import { Config } from './schema.js';

type JsonSchema = z.core.JSONSchema.BaseSchema;

export const ENV_REF_PATTERN = '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:?-[^}]*)?\\}';

const HEADER = {
  title: 'tandem.yaml',
  description:
    'Configuration of Tandem, which keeps an online shop and an ERP in sync: the systems (with credentials as ${ENV_VAR} references), the flows per entity, stock, orders and alerts. See docs/configuration.md.',
};

/**
 * Values are substituted from the environment before validation, so a URL field may hold
 * "${SHOP_URL}": accept that form next to a real URL instead of flagging it in the editor.
 */
function allowEnvRefs(ctx: { jsonSchema: JsonSchema }): void {
  const s = ctx.jsonSchema;
  if (s.type === 'string' && typeof s.format === 'string' && ['uri', 'email'].includes(s.format)) {
    const format = s.format;
    delete s.format;
    s.anyOf = [{ format }, { pattern: ENV_REF_PATTERN }];
  }
}

function generate(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', override: allowEnvRefs });
}

/** Whole-schema generation; if a piece cannot be converted, each top-level key is converted alone. */
export function configJsonSchema(): JsonSchema {
  try {
    const schema = generate(Config);
    return { $schema: schema.$schema, ...HEADER, ...schema };
  } catch (e) {
    return fallbackSchema(e);
  }
}

function fallbackSchema(cause: unknown): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, piece] of Object.entries(Config.shape)) {
    try {
      const { $schema: _ignored, ...rest } = generate(piece as z.ZodType);
      properties[key] = rest;
    } catch {
      properties[key] = { description: `(no JSON Schema for this key: ${(cause as Error).message}; see docs/configuration.md)` };
    }
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...HEADER,
    type: 'object',
    properties,
    required: ['systems'],
    additionalProperties: false,
  };
}
