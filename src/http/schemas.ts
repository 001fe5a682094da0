import { Type } from '@sinclair/typebox';
import { errorCatalogue, type ErrorCode } from '../platform/errors.js';
import { literalUnion } from '../platform/validation.js';

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: literalUnion(Object.keys(errorCatalogue) as ErrorCode[]),
      message: Type.String(),
      details: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
    }),
  },
  { description: 'An error from the catalogue' },
);

/** Error responses every authenticated route may give, for the OpenAPI document. */
export const commonErrors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
};

export const changeErrors = {
  ...commonErrors,
  404: ErrorResponse,
  409: ErrorResponse,
  412: ErrorResponse,
};

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const ReasonQuery = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 2_000, description: 'Why the change is made; stored in the audit trail' })) },
  { additionalProperties: false },
);
