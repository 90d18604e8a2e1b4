// The offline contract gate behind `npm run contracts:check`: generated code up to date, every
// schema shaped as agreed, every kept version compatible with the earlier ones under its
// subject's level, and every declared consumer able to read every kept version.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { catalogue, type EventEntry } from '../src/catalogue';
import { describeViolation, historyViolations, readerViolations } from '../src/compatibility';
import type { EventType } from '../src/generated/types';
import { codeOutputs, readmeOutput, stale } from './generate';
import {
  fingerprint,
  historiesOf,
  readReleased,
  readSchemaFiles,
  releaseKey,
  schemasDir,
  type RecordSchema,
} from './schema-files';

const header = [
  { name: 'eventId', type: { type: 'string', logicalType: 'uuid' } },
  { name: 'occurredAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
  { name: 'correlationId', type: 'string' },
  { name: 'aggregateId', type: 'string' },
];

function headerProblems(name: string, schema: RecordSchema): string[] {
  return header.flatMap((expected, index) => {
    const field = schema.fields[index];
    const same = field?.name === expected.name && JSON.stringify(field.type) === JSON.stringify(expected.type);
    return same
      ? []
      : [`${name}: field ${index + 1} must be ${expected.name} of type ${JSON.stringify(expected.type)}`];
  });
}

/**
 * A version is released once contracts:generate has recorded it: producers may have written it
 * and the registry may hold it, so it must never change meaning (docs may) nor disappear. A fresh
 * registry in CI cannot catch an edit in place; this can.
 */
function releaseProblems(versions: { key: string; fingerprint: string }[]): string[] {
  const released = readReleased();
  const present = new Set(versions.map((version) => version.key));
  return [
    ...versions
      .filter((version) => released[version.key] !== undefined && released[version.key] !== version.fingerprint)
      .map((version) => `${version.key} was changed after its release: restore it and put the change in a new version`),
    ...Object.keys(released)
      .filter((key) => !present.has(key))
      .map(
        (key) => `${key} was released but its schema file is gone: restore it (old events on the topic still use it)`,
      ),
  ];
}

/** Everything wrong with the schemas under `dir` against the catalogue; empty when the gate passes. */
export function contractProblems(dir = schemasDir): string[] {
  const problems: string[] = [];
  const files = readSchemaFiles(dir);
  const histories = historiesOf(files);
  problems.push(
    ...releaseProblems(files.map((file) => ({ key: releaseKey(file), fingerprint: fingerprint(file.schema) }))),
  );
  for (const [type, files] of histories) {
    const entry = (catalogue as Record<string, EventEntry | undefined>)[type];
    if (!entry) {
      problems.push(`${type}: has schemas but no entry in contracts/src/catalogue.ts`);
      continue;
    }
    if (files[0]!.topic !== entry.topic)
      problems.push(`${type}: schemas live under ${files[0]!.topic} but the catalogue puts it on ${entry.topic}`);
    if (!type.startsWith(`tulity.${entry.producer}.`))
      problems.push(`${type}: namespace must be tulity.${entry.producer}, its producer`);
    const history = files.map((file) => file.schema);
    files.forEach((file) => problems.push(...headerProblems(`${type} v${file.version}`, file.schema)));
    for (const violation of historyViolations(history, entry.compatibility)) {
      problems.push(...describeViolation(`${entry.subject} (${entry.compatibility})`, violation));
    }
    for (const consumer of entry.consumers) {
      for (const violation of readerViolations(history, consumer.readerVersion)) {
        problems.push(...describeViolation(`${entry.subject}, reader of ${consumer.service}`, violation));
      }
    }
  }
  for (const type of Object.keys(catalogue) as EventType[]) {
    if (!histories.has(type)) problems.push(`${type}: in the catalogue but has no schema under contracts/schemas`);
  }
  return problems;
}

async function main() {
  // --schemas <dir> checks another copy of the schemas against the catalogue (the gate's own
  // tests plant breaking changes there, never in the shared tree).
  const flag = process.argv.indexOf('--schemas');
  const dir = flag >= 0 ? path.resolve(process.argv[flag + 1] ?? '') : schemasDir;
  const staleFiles = stale(codeOutputs());
  const problems =
    staleFiles.length > 0
      ? [`stale: ${staleFiles.join(', ')}; run npm run contracts:generate`]
      : stale([await readmeOutput()]).map((file) => `stale: ${file}; run npm run contracts:generate`);
  problems.push(...contractProblems(dir));
  if (problems.length > 0) {
    for (const problem of problems) console.error(`[contracts] ${problem}`);
    process.exit(1);
  }
  const readers = Object.values(catalogue).reduce((sum, entry) => sum + entry.consumers.length, 0);
  console.log(
    `[contracts] check passed: ${Object.keys(catalogue).length} event types, ${readSchemaFiles(dir).length} schema versions, ${readers} reader declarations`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
