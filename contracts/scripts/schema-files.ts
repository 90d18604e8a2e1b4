import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

export const contractsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemasDir = path.join(contractsDir, 'schemas');

export interface RecordSchema {
  type: 'record';
  name: string;
  namespace: string;
  doc?: string;
  fields: { name: string; type: unknown; default?: unknown; doc?: string }[];
}

export interface SchemaFile {
  topic: string;
  type: string;
  version: number;
  file: string;
  schema: RecordSchema;
}

const fileName = /^([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.avsc$/;

/** Every `schemas/<topic>/<RecordName>.v<N>.avsc`, ordered by topic, type and version. */
export function readSchemaFiles(dir = schemasDir): SchemaFile[] {
  const files: SchemaFile[] = [];
  for (const topic of fs.readdirSync(dir).sort()) {
    const topicDir = path.join(dir, topic);
    if (!fs.statSync(topicDir).isDirectory()) continue;
    for (const name of fs.readdirSync(topicDir).sort()) {
      const match = fileName.exec(name);
      const file = path.join(topicDir, name);
      if (!match)
        throw new Error(`${path.relative(contractsDir, file)}: schema files are named <RecordName>.v<N>.avsc`);
      const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as RecordSchema;
      if (schema.type !== 'record' || schema.name !== match[1] || !schema.namespace?.startsWith('tulity.')) {
        throw new Error(
          `${path.relative(contractsDir, file)}: must hold the record ${match[1]} in a tulity.<service> namespace`,
        );
      }
      files.push({ topic, type: `${schema.namespace}.${schema.name}`, version: Number(match[2]), file, schema });
    }
  }
  files.sort((a, b) => a.topic.localeCompare(b.topic) || a.type.localeCompare(b.type) || a.version - b.version);
  return files;
}

/** Groups the files by event type; versions must run 1..N without gaps. */
export function historiesOf(files: SchemaFile[]): Map<string, SchemaFile[]> {
  const byType = new Map<string, SchemaFile[]>();
  for (const file of files) {
    const history = byType.get(file.type) ?? [];
    if (history.length > 0 && history[0]!.topic !== file.topic) {
      throw new Error(`${file.type} has schemas under two topics: ${history[0]!.topic} and ${file.topic}`);
    }
    history.push(file);
    byType.set(file.type, history);
  }
  for (const [type, history] of byType) {
    history.forEach((file, index) => {
      if (file.version !== index + 1)
        throw new Error(`${type}: versions must run 1..N, found v${file.version} at position ${index + 1}`);
    });
  }
  return byType;
}

export const releasedPath = path.join(contractsDir, 'released.json');

const withoutDocs = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withoutDocs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== 'doc')
      .map(([key, value]) => [key, withoutDocs(value)]),
  );
};

/** Identifies what a version means: everything but its docs, which may be reworded at any time. */
export function fingerprint(schema: RecordSchema): string {
  return createHash('sha256')
    .update(JSON.stringify(withoutDocs(schema)))
    .digest('hex');
}

export const releaseKey = (file: SchemaFile) => `${file.type} v${file.version}`;

/** Fingerprints recorded by `contracts:generate`, by `<type> v<N>`. */
export function readReleased(): Record<string, string> {
  return fs.existsSync(releasedPath)
    ? (JSON.parse(fs.readFileSync(releasedPath, 'utf8')) as Record<string, string>)
    : {};
}

/** The released fingerprints plus those of versions not recorded yet; a recorded one is never rewritten. */
export function renderReleased(files: SchemaFile[], released: Record<string, string>): string {
  const merged = { ...released };
  for (const file of files) merged[releaseKey(file)] ??= fingerprint(file.schema);
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}
