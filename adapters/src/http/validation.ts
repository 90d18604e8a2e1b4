import { z } from 'zod';
import { badRequest, type FieldError } from './problem';

/**
 * Parses untrusted input once, at the edge, into a typed value. A failure becomes a 400
 * `REQUEST.INVALID` with one entry per offending field, so a client can show it beside the field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw badRequest('REQUEST.INVALID', `The request ${where} is invalid.`, fieldErrors(result.error));
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), message: 'Unknown field.' }));
    }
    return [{ field: issue.path.join('.') || '(root)', message: issue.message }];
  });
}
