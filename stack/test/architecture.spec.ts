// The hexagon's rule is enforced by lint: a domain or application file that imports
// infrastructure fails `npm run lint`. Planting one proves the rule bites.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test, expect } from '@jest/globals';
import { root } from '../config.mjs';

const eslint = path.join(root, 'node_modules', '.bin', 'eslint');

function lint(file: string) {
  return spawnSync(eslint, ['--no-warn-ignored', file], { cwd: root, encoding: 'utf8' });
}

function withPlantedFile(relative: string, source: string, check: (file: string) => void) {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, source);
  try {
    check(file);
  } finally {
    fs.rmSync(file);
  }
}

describe('architecture rule', () => {
  const cases = [
    [
      'services/products/src/domain/planted-violation.ts',
      "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n",
      'kafkajs',
    ],
    [
      'services/accounts/src/application/planted-violation.ts',
      "import knex from 'knex';\nexport const k = knex;\n",
      'knex',
    ],
    [
      'services/transactions/src/domain/planted-violation.ts',
      "import { createLogger } from '@tulity/adapters/logger';\nexport const l = createLogger;\n",
      '@tulity/adapters/logger',
    ],
    [
      'services/notifications/src/application/planted-violation.ts',
      "import type { Knex } from '../adapters/postgres/db';\nexport type K = Knex;\n",
      '../adapters/postgres/db',
    ],
    [
      'services/products/src/application/planted-violation.ts',
      "import { toProblem } from '@tulity/adapters/http/problems';\nexport const p = toProblem;\n",
      '@tulity/adapters/http/problems',
    ],
    [
      'adapters/src/core/planted-violation.ts',
      "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n",
      'kafkajs',
    ],
  ] as const;

  for (const [relative, source, imported] of cases) {
    test(`lint fails when ${relative.split('/src/')[1]!.split('/')[0]} imports ${imported}`, () => {
      withPlantedFile(relative, source, (file) => {
        const result = lint(file);
        expect(result).toMatchObject({ status: 1 });
        expect(result.stdout).toMatch(/no-restricted-imports/);
        expect(result.stdout).toMatch(/stay free of infrastructure/);
      });
    });
  }

  test('lint passes a domain file that imports only plain TypeScript', () => {
    withPlantedFile(
      'services/products/src/domain/planted-clean.ts',
      "import { randomUUID } from 'node:crypto';\nexport const newId = (): string => randomUUID();\n",
      (file) => {
        const result = lint(file);
        expect(result).toMatchObject({ status: 0 });
      },
    );
  });

  test("domain and use cases may import the shared adapters' plain-TypeScript core", () => {
    withPlantedFile(
      'services/products/src/domain/planted-clean.ts',
      "import { notFound } from '@tulity/adapters/core/failure';\nexport const missing = () => notFound('X.NOT_FOUND', 'No such x.');\n",
      (file) => {
        const result = lint(file);
        expect(result).toMatchObject({ status: 0 });
      },
    );
  });

  test('the same file outside domain/ and application/ may use infrastructure', () => {
    withPlantedFile(
      'services/products/src/adapters/kafka/planted-ok.ts',
      "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n",
      (file) => {
        const result = lint(file);
        expect(result).toMatchObject({ status: 0 });
      },
    );
  });
});
