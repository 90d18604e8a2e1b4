import { afterAll, describe, test, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { catalogue, entries, type CompatibilityLevel } from '../src/catalogue';
import {
  compatibilityOf,
  defaultRegistryUrl,
  deleteSubject,
  isCompatible,
  registeredVersions,
  registerSubject,
  RegistrationError,
} from '../src/registry';
import { contractsDir } from '../scripts/schema-files';

const registryUrl = process.env.TULITY_REGISTRY_URL || defaultRegistryUrl;
const run = randomUUID().slice(0, 8);
const throwaway: string[] = [];

/** A subject of this run only, so planted schemas never touch the real ones. */
function scratchSubject(name: string): string {
  const subject = `contracts-test-${run}.${name}`;
  throwaway.push(subject);
  return subject;
}

afterAll(async () => {
  await Promise.all(throwaway.map((subject) => deleteSubject(registryUrl, subject)));
});

type Fields = { name: string; type: unknown; default?: unknown }[];
const withFields = (schema: object, change: (fields: Fields) => Fields) => ({
  ...schema,
  fields: change((schema as { fields: Fields }).fields),
});

describe('npm run contracts:register', () => {
  const register = () =>
    spawnSync('npm', ['run', '--silent', 'contracts:register'], {
      cwd: path.dirname(contractsDir),
      encoding: 'utf8',
      env: { ...process.env, TULITY_REGISTRY_URL: registryUrl },
    });

  test('registers every subject with its level, and a second run adds nothing', async () => {
    const first = register();
    expect(first).toMatchObject({ status: 0 });

    const second = register();

    expect(second).toMatchObject({ status: 0 });
    expect(second.stdout).toBe(
      `[contracts] ${entries.length} subjects registered with their compatibility levels (0 new versions)\n`,
    );
    for (const entry of entries) {
      const versions = (await registeredVersions(registryUrl, entry.subject)).length;
      expect({
        subject: entry.subject,
        compatibility: await compatibilityOf(registryUrl, entry.subject),
        keepsItsHistory: versions >= entry.history.length,
        acceptsItsSchema: await isCompatible(registryUrl, entry.subject, entry.schema),
      }).toEqual({
        subject: entry.subject,
        compatibility: entry.compatibility,
        keepsItsHistory: true,
        acceptsItsSchema: true,
      });
    }
  });
});

describe('kept versions against the live registry', () => {
  test('every subject accepts its whole history, version by version, under its level', async () => {
    for (const entry of entries) {
      const subject = scratchSubject(entry.subject);

      const result = await registerSubject(registryUrl, {
        subject,
        compatibility: entry.compatibility,
        history: entry.history,
      });

      expect({
        subject: entry.subject,
        added: result.added,
        distinctIds: new Set(result.ids).size,
        compatibility: await compatibilityOf(registryUrl, subject),
      }).toEqual({
        subject: entry.subject,
        added: entry.history.length,
        distinctIds: entry.history.length,
        compatibility: entry.compatibility,
      });
    }
  });
});

describe('planted breaking changes against the live registry', () => {
  const purchase = catalogue['tulity.transactions.PurchaseRecorded'];
  const sale = catalogue['tulity.transactions.SaleRequested'];

  async function rejection(
    name: string,
    compatibility: CompatibilityLevel,
    history: readonly object[],
  ): Promise<RegistrationError> {
    const subject = scratchSubject(name);
    const caught = await registerSubject(registryUrl, { subject, compatibility, history }).then(
      () => {
        throw new Error(`${name}: the registry accepted a breaking change`);
      },
      (error: unknown) => error,
    );
    expect(caught).toBeInstanceOf(RegistrationError);
    const error = caught as RegistrationError;
    expect(error.subject).toBe(subject);
    expect(error.version).toBe(history.length);
    expect(await registeredVersions(registryUrl, subject)).toEqual(
      Array.from({ length: history.length - 1 }, (_, i) => i + 1),
    );
    return error;
  }

  test('a changed type is refused with the registry reason and the field name', async () => {
    const v3 = withFields(purchase.schema, (fields) =>
      fields.map((f) => (f.name === 'totalMinor' ? { ...f, type: 'string' } : f)),
    );

    const error = await rejection('type-change', purchase.compatibility, [...purchase.history, v3]);

    expect(error.registryMessage).toMatch(/Incompatible/);
    expect(error.fields).toEqual(['totalMinor']);
    expect(error.message).toMatch(/contracts-test-.*v3 rejected by the schema registry: .*; field\(s\): totalMinor$/);
  });

  test('a field nested in the lines is named by its path', async () => {
    const v3 = withFields(purchase.schema, (fields) =>
      fields.map((f) =>
        f.name !== 'lines'
          ? f
          : {
              ...f,
              type: {
                type: 'array',
                items: withFields((f.type as { items: object }).items, (line) =>
                  line.map((l) => (l.name === 'quantity' ? { ...l, type: 'string' } : l)),
                ),
              },
            },
      ),
    );

    const error = await rejection('nested-change', purchase.compatibility, [...purchase.history, v3]);

    expect(error.fields).toEqual(['lines[].quantity']);
  });

  test('a field added without a default is refused, naming it', async () => {
    const v3 = withFields(purchase.schema, (fields) => [...fields, { name: 'warehouseId', type: 'string' }]);

    const error = await rejection('added-without-default', purchase.compatibility, [...purchase.history, v3]);

    expect(error.registryMessage).toMatch(/warehouseId/);
    expect(error.fields).toEqual(['warehouseId']);
  });

  test('a field removed without a default is refused on a FULL_TRANSITIVE subject, naming it', async () => {
    const v2 = withFields(sale.schema, (fields) => fields.filter((f) => f.name !== 'cashierId'));

    const error = await rejection('removed-field', sale.compatibility, [sale.schema, v2]);

    expect(error.registryMessage).toMatch(/cashierId/);
    expect(error.fields).toEqual(['cashierId']);
  });
});
