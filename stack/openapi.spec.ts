import { describe, expect, test } from '@jest/globals';
import { documents } from './openapi';

interface Document {
  paths: Record<string, Record<string, { operationId?: string }>>;
}

describe.each(Object.entries(documents))('the %s OpenAPI document, built offline', (_, build) => {
  test('names every operation once, in camelCase', () => {
    const document = build() as Document;
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ at: `${method} ${path}`, id: operation.operationId })),
    );

    expect(operations.filter((operation) => !/^[a-z][a-zA-Z0-9]*$/.test(operation.id ?? ''))).toEqual([]);
    expect(new Set(operations.map((operation) => operation.id)).size).toBe(operations.length);
    expect(operations.length).toBeGreaterThan(4);
  });
});
