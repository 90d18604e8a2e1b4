// The offline compatibility gate. avsc's resolver is the judge (`reader.createResolver(writer)`
// throws when the reader cannot decode the writer's data); its messages do not say which field
// broke, so on failure the two schemas are walked side by side to name it.
import avro from 'avsc';
import type { CompatibilityLevel } from './catalogue';

export interface Issue {
  /** Dotted path of the offending field, `[]` for array items and `{}` for map values; empty for the record itself. */
  readonly field: string;
  readonly message: string;
}

type Type = avro.Type & Record<string, any>;
interface Field {
  name: string;
  aliases: string[];
  type: Type;
  defaultValue(): unknown;
}

function canResolve(reader: avro.Type, writer: avro.Type): boolean {
  try {
    reader.createResolver(writer);
    return true;
  } catch {
    return false;
  }
}

const join = (path: string, name: string) => (path === '' ? name : `${path}.${name}`);
const describe = (type: Type) => (type.name ? `${type.typeName} ${type.name}` : JSON.stringify(type.schema()));
const at = (path: string) => (path === '' ? 'the record' : `field "${path}"`);

function explain(reader: Type, writer: Type, path: string, issues: Issue[]): void {
  if (canResolve(reader, writer)) return;
  const before = issues.length;
  if (reader.typeName === 'record' && writer.typeName === 'record') {
    const readerNames = [reader.name, ...(reader.aliases ?? [])];
    if (!readerNames.includes(writer.name ?? '')) {
      issues.push({
        field: path,
        message: `${at(path)}: reader record ${reader.name} cannot read writer record ${writer.name} (different name, no alias)`,
      });
      return;
    }
    for (const field of reader.fields as Field[]) {
      const names = [field.name, ...field.aliases];
      const written = (writer.fields as Field[]).find((candidate) => names.includes(candidate.name));
      const fieldPath = join(path, field.name);
      if (!written) {
        if (field.defaultValue() === undefined) {
          issues.push({
            field: fieldPath,
            message: `field "${fieldPath}" is missing from the writer schema and has no default in the reader schema`,
          });
        }
        continue;
      }
      explain(field.type, written.type, fieldPath, issues);
    }
  } else if (reader.typeName === 'array' && writer.typeName === 'array') {
    explain(reader.itemsType, writer.itemsType, `${path}[]`, issues);
  } else if (reader.typeName === 'map' && writer.typeName === 'map') {
    explain(reader.valuesType, writer.valuesType, `${path}{}`, issues);
  } else if (reader.typeName === 'enum' && writer.typeName === 'enum' && reader.name === writer.name) {
    const unknown = (writer.symbols as string[]).filter((symbol) => !(reader.symbols as string[]).includes(symbol));
    issues.push({
      field: path,
      message: `${at(path)}: reader enum ${reader.name} lacks symbol(s) ${unknown.join(', ')} and has no default`,
    });
  } else if (writer.typeName.startsWith('union')) {
    for (const branch of writer.types as Type[]) {
      const readable = reader.typeName.startsWith('union')
        ? (reader.types as Type[]).some((candidate) => canResolve(candidate, branch))
        : canResolve(reader, branch);
      if (!readable)
        issues.push({
          field: path,
          message: `${at(path)}: reader type ${describe(reader)} cannot read writer union branch ${describe(branch)}`,
        });
    }
  }
  if (issues.length === before) {
    issues.push({
      field: path,
      message: `${at(path)}: reader type ${describe(reader)} cannot read writer type ${describe(writer)}`,
    });
  }
}

/** Why data written with `writer` cannot be decoded with `reader`; empty when it can. */
export function readIssues(reader: object, writer: object): Issue[] {
  const issues: Issue[] = [];
  explain(
    avro.Type.forSchema(reader as avro.Schema) as Type,
    avro.Type.forSchema(writer as avro.Schema) as Type,
    '',
    issues,
  );
  return issues;
}

export interface Violation {
  /** 1-based versions. */
  readonly reader: number;
  readonly writer: number;
  readonly issues: readonly Issue[];
}

/**
 * The (reader, writer) pairs a new version must pass under a level, as 1-based versions.
 * BACKWARD: the new schema reads old data; FORWARD: old schemas read new data; FULL: both;
 * *_TRANSITIVE against every earlier version instead of the previous one only.
 */
export function pairsFor(level: CompatibilityLevel, version: number): { reader: number; writer: number }[] {
  if (level === 'NONE' || version < 2) return [];
  const earlier = level.endsWith('_TRANSITIVE')
    ? Array.from({ length: version - 1 }, (_, index) => index + 1)
    : [version - 1];
  const pairs: { reader: number; writer: number }[] = [];
  for (const old of earlier) {
    if (level.startsWith('BACKWARD') || level.startsWith('FULL')) pairs.push({ reader: version, writer: old });
    if (level.startsWith('FORWARD') || level.startsWith('FULL')) pairs.push({ reader: old, writer: version });
  }
  return pairs;
}

/** Checks every kept version against the versions before it, as the registry would on registration. */
export function historyViolations(history: readonly object[], level: CompatibilityLevel): Violation[] {
  const violations: Violation[] = [];
  for (let version = 2; version <= history.length; version++) {
    for (const pair of pairsFor(level, version)) {
      const issues = readIssues(history[pair.reader - 1]!, history[pair.writer - 1]!);
      if (issues.length > 0) violations.push({ ...pair, issues });
    }
  }
  return violations;
}

/** Checks that a reader schema decodes every kept writer version (old events stay on the topic). */
export function readerViolations(history: readonly object[], readerVersion: number): Violation[] {
  const reader = history[readerVersion - 1];
  if (!reader)
    return [
      {
        reader: readerVersion,
        writer: 0,
        issues: [{ field: '', message: `reader version v${readerVersion} is not kept in contracts/schemas` }],
      },
    ];
  return history.flatMap((writer, index) => {
    const issues = readIssues(reader, writer);
    return issues.length > 0 ? [{ reader: readerVersion, writer: index + 1, issues }] : [];
  });
}

/** One line per issue, naming the versions and the field. */
export function describeViolation(name: string, violation: Violation): string[] {
  return violation.issues.map(
    (issue) => `${name}: v${violation.reader} cannot read events written with v${violation.writer}: ${issue.message}`,
  );
}
