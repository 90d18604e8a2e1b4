import { describe, test, expect } from '@jest/globals';
import { historyViolations, pairsFor, readIssues, readerViolations } from '../src/compatibility';
import { fieldsInReason } from '../src/registry';

const line = (quantityType: unknown) => ({
  type: 'record',
  name: 'Line',
  fields: [
    { name: 'productId', type: 'string' },
    { name: 'quantity', type: quantityType },
  ],
});
const order = (fields: object[]) => ({ type: 'record', name: 'Order', namespace: 'tulity.test', fields });
const v1 = order([
  { name: 'orderId', type: 'string' },
  { name: 'totalMinor', type: 'long' },
  { name: 'lines', type: { type: 'array', items: line('long') } },
]);
const withNote = order([...v1.fields, { name: 'note', type: ['null', 'string'], default: null }]);

describe('readIssues', () => {
  test('a reader with a new optional field reads data written without it', () => {
    expect(readIssues(withNote, v1)).toEqual([]);
  });

  test('an older reader ignores a field it does not know', () => {
    expect(readIssues(v1, withNote)).toEqual([]);
  });

  test('names a field the reader requires, without default, that the writer lacks', () => {
    const withChannel = order([...v1.fields, { name: 'channel', type: 'string' }]);

    const issues = readIssues(withChannel, v1);

    expect(issues.length).toBe(1);
    expect(issues[0]!.field).toBe('channel');
    expect(issues[0]!.message).toMatch(/field "channel" is missing from the writer schema and has no default/);
  });

  test('names a field whose type changed', () => {
    const retyped = order([v1.fields[0]!, { name: 'totalMinor', type: 'string' }, v1.fields[2]!]);

    const issues = readIssues(retyped, v1);

    expect(issues.map((issue) => issue.field)).toEqual(['totalMinor']);
    expect(issues[0]!.message).toMatch(/reader type .*string.* cannot read writer type .*long/);
  });

  test('names a field nested in array items by its path', () => {
    const retyped = order([
      v1.fields[0]!,
      v1.fields[1]!,
      { name: 'lines', type: { type: 'array', items: line('string') } },
    ]);

    expect(readIssues(retyped, v1).map((issue) => issue.field)).toEqual(['lines[].quantity']);
  });

  test('accepts the promotions Avro allows, such as int written and long read', () => {
    const intLines = order([
      v1.fields[0]!,
      v1.fields[1]!,
      { name: 'lines', type: { type: 'array', items: line('int') } },
    ]);

    expect(readIssues(v1, intLines)).toEqual([]);
  });

  test('names an enum that lacks a written symbol and has no default', () => {
    const mode = (symbols: string[], extra: object = {}) =>
      order([{ name: 'mode', type: { type: 'enum', name: 'Mode', symbols, ...extra } }]);

    expect(readIssues(mode(['A']), mode(['A', 'B'])).map((issue) => issue.field)).toEqual(['mode']);
    expect(readIssues(mode(['A'], { default: 'A' }), mode(['A', 'B']))).toEqual([]);
  });

  test('names a record read under another name without an alias', () => {
    const renamed = { ...v1, name: 'Purchase' };

    expect(readIssues(renamed, v1)[0]!.message).toMatch(/cannot read writer record tulity\.test\.Order/);
    expect(readIssues({ ...renamed, aliases: ['tulity.test.Order'] }, v1)).toEqual([]);
  });
});

describe('pairsFor', () => {
  test('BACKWARD checks the new reader against the previous writer only', () => {
    expect(pairsFor('BACKWARD', 3)).toEqual([{ reader: 3, writer: 2 }]);
  });

  test('FORWARD_TRANSITIVE checks every earlier reader against the new writer', () => {
    expect(pairsFor('FORWARD_TRANSITIVE', 3)).toEqual([
      { reader: 1, writer: 3 },
      { reader: 2, writer: 3 },
    ]);
  });

  test('FULL_TRANSITIVE checks both directions against every earlier version', () => {
    expect(pairsFor('FULL_TRANSITIVE', 3)).toEqual([
      { reader: 3, writer: 1 },
      { reader: 1, writer: 3 },
      { reader: 3, writer: 2 },
      { reader: 2, writer: 3 },
    ]);
  });

  test('NONE and a first version check nothing', () => {
    expect(pairsFor('NONE', 4)).toEqual([]);
    expect(pairsFor('FULL_TRANSITIVE', 1)).toEqual([]);
  });
});

describe('historyViolations', () => {
  const withoutTotal = order([v1.fields[0]!, v1.fields[2]!, { name: 'note', type: ['null', 'string'], default: null }]);

  test('removing a field without default passes BACKWARD_TRANSITIVE: new readers never need it', () => {
    expect(historyViolations([v1, withNote, withoutTotal], 'BACKWARD_TRANSITIVE')).toEqual([]);
  });

  test('removing a field without default fails FULL_TRANSITIVE, naming the field and the versions', () => {
    const violations = historyViolations([v1, withNote, withoutTotal], 'FULL_TRANSITIVE');

    expect(violations.map((v) => [v.reader, v.writer, v.issues.map((issue) => issue.field)])).toEqual([
      [1, 3, ['totalMinor']],
      [2, 3, ['totalMinor']],
    ]);
  });

  test('the transitive level also checks the newest version against the first', () => {
    const retyped = order([v1.fields[0]!, { name: 'totalMinor', type: 'string' }, v1.fields[2]!]);
    const restored = order([v1.fields[0]!, { name: 'totalMinor', type: 'string' }, v1.fields[2]!, withNote.fields[3]!]);

    expect(historyViolations([v1, retyped, restored], 'BACKWARD').length).toBe(1);
    expect(historyViolations([v1, retyped, restored], 'BACKWARD_TRANSITIVE').map((v) => [v.reader, v.writer])).toEqual([
      [2, 1],
      [3, 1],
    ]);
  });
});

describe('readerViolations', () => {
  test('a reader of an old version must read every kept writer version', () => {
    const withoutTotal = order([v1.fields[0]!, v1.fields[2]!]);

    const violations = readerViolations([v1, withoutTotal], 1);

    expect(violations.map((v) => [v.reader, v.writer, v.issues[0]!.field])).toEqual([[1, 2, 'totalMinor']]);
  });

  test('a reader version that is not kept is reported', () => {
    expect(readerViolations([v1], 2)[0]!.issues[0]!.message).toMatch(/v2 is not kept/);
  });
});

describe('fieldsInReason', () => {
  // Reasons as Apicurio 3.0.9 returns them on its ccompat API (409 on POST .../versions).
  test('resolves a pointer to a changed type into the field name', () => {
    const reason =
      'io.apicurio.registry.rules.RuleViolationException: Incompatible artifact: s [AVRO], num of incompatible diffs: {1}, list of diff types: [reader type: STRING not compatible with writer type: LONG at /fields/1/type]';

    expect(fieldsInReason(reason, v1)).toEqual(['totalMinor']);
  });

  test('resolves pointers into array items into a path', () => {
    const reason =
      'list of diff types: [reader type: STRING not compatible with writer type: LONG at /fields/2/type/items/fields/1/type]';

    expect(fieldsInReason(reason, v1)).toEqual(['lines[].quantity']);
  });

  test('takes a field the reason names as named, even when the pointer is into the other schema', () => {
    const reason = 'list of diff types: [cashierId at /fields/1, warehouseId at /fields/2/type/items/fields/5]';

    expect(fieldsInReason(reason, v1)).toEqual(['cashierId', 'lines[].warehouseId']);
  });

  test('ignores pointers that do not fit the schema', () => {
    expect(fieldsInReason('reader type: STRING not compatible with writer type: LONG at /fields/9/type', v1)).toEqual(
      [],
    );
  });
});
