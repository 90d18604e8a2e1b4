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

function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), message: 'Unknown field.' }));
    }
    return [{ field: issue.path.join('.') || '(root)', message: issue.message }];
  });
}

/** Deeper than any body a service accepts; a bound so no later recursive step (zod, logging, JSON.stringify) overflows the stack. */
const maxInputDepth = 32;

// C0 controls but tab, line feed and carriage return, which text may hold (a service's schema
// refuses those too where a field is one line). Postgres text cannot hold NUL, so a NUL would
// fail its insert or query as a 500; the others garble logs and terminals.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/**
 * Checks input before any schema sees it, the same for every service: no control characters and
 * no lone UTF-16 surrogates (Postgres would store U+FFFD while the answer echoed what was sent) in
 * any string or key, and no nesting deeper than `maxInputDepth`. A 400 names the first field at fault.
 * Iterative, so a body nested thousands deep is refused rather than overflowing the stack.
 */
export function assertCleanInput(input: unknown, where: 'body' | 'query'): void {
  const pending: Array<{ value: unknown; path: string[] }> = [{ value: input, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      checkText(value, where, path);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= maxInputDepth) {
      throw badRequest('REQUEST.TOO_DEEP', `The request ${where} nests deeper than ${maxInputDepth} levels.`, [
        { field: field(path), message: `Nested deeper than ${maxInputDepth} levels.` },
      ]);
    }
    for (const [key, child] of Object.entries(value)) {
      checkText(key, where, [...path, key]);
      pending.push({ value: child, path: [...path, key] });
    }
  }
}

function checkText(text: string, where: string, path: string[]) {
  const found = controlCharacter.exec(text);
  if (found) throw controlCharacterProblem(where, path, found[0]);
  if (!text.isWellFormed()) {
    throw badRequest('REQUEST.INVALID', `The request ${where} is invalid.`, [
      { field: field(path).toWellFormed(), message: 'Contains a lone UTF-16 surrogate: not valid Unicode text.' },
    ]);
  }
}

// A key at fault may itself hold the control character: the field is named with it replaced.
// eslint-disable-next-line no-control-regex -- as above
const field = (path: string[]) => path.join('.').replace(/[\u0000-\u001f]/g, '\uFFFD') || '(root)';

function controlCharacterProblem(where: string, path: string[], character: string) {
  const code = `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return badRequest('REQUEST.INVALID', `The request ${where} is invalid.`, [
    { field: field(path), message: `Contains the control character ${code}.` },
  ]);
}
