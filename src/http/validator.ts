import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { formatChecks } from '../platform/formats.js';

// ajv-formats is CommonJS with a default export; under NodeNext its namespace arrives instead.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Two Ajv instances: bodies are checked strictly (no type coercion, no removal of unknown
 * fields, so `"inScope": "true"` and stray fields are rejected), while query strings and path
 * parameters, which are always text, are coerced to the declared types. Both report every
 * problem at once.
 */
function createAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: coerce,
    coerceTypes: coerce ? 'array' : false,
    strict: false,
    // Keeps the offending value on each issue, so error messages can quote it.
    verbose: true,
  });
  addFormats(ajv);
  for (const [name, check] of Object.entries(formatChecks)) {
    ajv.addFormat(name, check);
  }
  return ajv;
}

const strict = { ajv: createAjv(false), cache: new WeakMap<object, ValidateFunction>() };
const coercing = { ajv: createAjv(true), cache: new WeakMap<object, ValidateFunction>() };

/** Compiles each schema once per instance, since Ajv refuses a second schema with the same $id. */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const { ajv, cache } = httpPart === 'body' ? strict : coercing;
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  return validate;
};
