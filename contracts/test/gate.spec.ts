import { afterAll, beforeAll, describe, test, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contractProblems } from '../scripts/check';
import { contractsDir, schemasDir, type RecordSchema } from '../scripts/schema-files';

// Breaking changes are planted in a private copy of the schemas, never in the shared tree.
let scratch: string;

function copyOfTree(): string {
  const dir = fs.mkdtempSync(path.join(scratch, 'schemas-'));
  fs.cpSync(schemasDir, dir, { recursive: true });
  return dir;
}

function read(dir: string, topic: string, file: string): RecordSchema {
  return JSON.parse(fs.readFileSync(path.join(dir, topic, file), 'utf8')) as RecordSchema;
}

function plant(dir: string, topic: string, file: string, schema: RecordSchema): void {
  fs.writeFileSync(path.join(dir, topic, file), JSON.stringify(schema, null, 2));
}

/** PurchaseRecorded v3 made from v2 by `change`. */
function plantPurchaseV3(change: (fields: RecordSchema['fields']) => RecordSchema['fields']): string {
  const dir = copyOfTree();
  const v2 = read(dir, 'transactions.purchase', 'PurchaseRecorded.v2.avsc');
  plant(dir, 'transactions.purchase', 'PurchaseRecorded.v3.avsc', { ...v2, fields: change(v2.fields) });
  return dir;
}

/** Matches a problem line that starts with `prefix`; a failure prints every line found. */
const startingWith = (prefix: string) =>
  expect.stringMatching(new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

const purchaseSubject = 'transactions.purchase-tulity.transactions.PurchaseRecorded';

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tulity-contracts-'));
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('contract gate', () => {
  test('passes on the tree', () => {
    expect(contractProblems()).toEqual([]);
  });

  test('passes a new optional field with a default', () => {
    const dir = plantPurchaseV3((fields) => [...fields, { name: 'note', type: ['null', 'string'], default: null }]);

    expect(contractProblems(dir)).toEqual([]);
  });

  test('rejects a type change, naming subject, versions and field', () => {
    const dir = plantPurchaseV3((fields) =>
      fields.map((f) => (f.name === 'totalMinor' ? { ...f, type: 'string' } : f)),
    );

    const problems = contractProblems(dir);

    expect(problems.length).toBeGreaterThan(0);
    expect(problems).toContainEqual(
      startingWith(
        `${purchaseSubject} (BACKWARD_TRANSITIVE): v3 cannot read events written with v1: field "totalMinor"`,
      ),
    );
    for (const problem of problems) expect(problem).toContain('"totalMinor"');
  });

  test('rejects a field added without a default, naming it', () => {
    const dir = plantPurchaseV3((fields) => [...fields, { name: 'warehouseId', type: 'string' }]);

    const problems = contractProblems(dir);

    expect(problems).toContainEqual(
      expect.stringContaining(
        'v3 cannot read events written with v2: field "warehouseId" is missing from the writer schema and has no default',
      ),
    );
  });

  test('rejects a field removed without default on a FULL_TRANSITIVE subject, naming it', () => {
    const dir = copyOfTree();
    const v1 = read(dir, 'transactions.sale', 'SaleRequested.v1.avsc');
    plant(dir, 'transactions.sale', 'SaleRequested.v2.avsc', {
      ...v1,
      fields: v1.fields.filter((f) => f.name !== 'cashierId'),
    });

    const problems = contractProblems(dir);

    expect(problems).toContainEqual(
      startingWith(
        'transactions.sale-tulity.transactions.SaleRequested (FULL_TRANSITIVE): v1 cannot read events written with v2: field "cashierId"',
      ),
    );
  });

  test('rejects a removal the level allows when a declared reader still needs the field', () => {
    const dir = plantPurchaseV3((fields) => fields.filter((f) => f.name !== 'supplierName'));

    const problems = contractProblems(dir);

    // BACKWARD_TRANSITIVE lets new readers drop a field; products still decodes with v1.
    expect(problems).not.toContainEqual(expect.stringContaining('(BACKWARD_TRANSITIVE)'));
    expect(problems).toContainEqual(
      startingWith(
        `${purchaseSubject}, reader of products: v1 cannot read events written with v3: field "supplierName"`,
      ),
    );
  });

  test('rejects a released version edited in place, which a fresh registry would not notice', () => {
    const dir = copyOfTree();
    const v1 = read(dir, 'products.stock', 'LowStock.v1.avsc');
    plant(dir, 'products.stock', 'LowStock.v1.avsc', {
      ...v1,
      fields: v1.fields.map((f) => (f.name === 'thresholdBase' ? { ...f, type: 'int' } : f)),
    });

    expect(contractProblems(dir)).toEqual([
      'tulity.products.LowStock v1 was changed after its release: restore it and put the change in a new version',
    ]);
  });

  test('lets the docs of a released version be reworded', () => {
    const dir = copyOfTree();
    const v1 = read(dir, 'products.stock', 'LowStock.v1.avsc');
    plant(dir, 'products.stock', 'LowStock.v1.avsc', {
      ...v1,
      doc: 'Reworded.',
      fields: v1.fields.map((f) => ({ ...f, doc: `${f.name}, reworded` })),
    });

    expect(contractProblems(dir)).toEqual([]);
  });

  test('rejects a released version whose file was removed', () => {
    const dir = copyOfTree();
    fs.rmSync(path.join(dir, 'transactions.purchase', 'PurchaseRecorded.v2.avsc'));

    expect(contractProblems(dir)).toContain(
      'tulity.transactions.PurchaseRecorded v2 was released but its schema file is gone: restore it (old events on the topic still use it)',
    );
  });

  test('rejects a schema without the common header', () => {
    const dir = copyOfTree();
    const v1 = read(dir, 'products.stock', 'LowStock.v1.avsc');
    plant(dir, 'products.stock', 'LowStock.v1.avsc', {
      ...v1,
      fields: v1.fields.filter((f) => f.name !== 'correlationId'),
    });

    expect(contractProblems(dir)).toContainEqual(
      startingWith('tulity.products.LowStock v1: field 3 must be correlationId'),
    );
  });

  test('rejects a schema the catalogue does not know and a gap in the versions', () => {
    const dir = copyOfTree();
    const low = read(dir, 'products.stock', 'LowStock.v1.avsc');
    plant(dir, 'products.stock', 'StockCounted.v1.avsc', { ...low, name: 'StockCounted' });

    expect(contractProblems(dir)).toContain(
      'tulity.products.StockCounted: has schemas but no entry in contracts/src/catalogue.ts',
    );

    fs.rmSync(path.join(dir, 'products.stock', 'StockCounted.v1.avsc'));
    plant(dir, 'products.stock', 'LowStock.v3.avsc', low);
    expect(() => contractProblems(dir)).toThrow(
      /tulity\.products\.LowStock: versions must run 1\.\.N, found v3 at position 2/,
    );
  });
});

describe('npm run contracts:check', () => {
  const check = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(contractsDir, 'scripts', 'check.ts'), ...args], {
      encoding: 'utf8',
    });

  test('exits 0 on the tree', () => {
    const result = check();

    expect(result).toMatchObject({ status: 0 });
    expect(result.stdout).toMatch(/check passed/);
  });

  test('exits 1 on a planted breaking change and names the field', () => {
    const dir = plantPurchaseV3((fields) =>
      fields.map((f) => (f.name === 'supplierName' ? { ...f, type: 'long' } : f)),
    );

    const result = check('--schemas', dir);

    expect(result).toMatchObject({ status: 1 });
    expect(result.stderr).toMatch(
      /PurchaseRecorded \(BACKWARD_TRANSITIVE\): v3 cannot read events written with v1: field "supplierName"/,
    );
  });
});
