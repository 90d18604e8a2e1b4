import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { historyViolations, pairsFor, readIssues, readerViolations } from '../src/compatibility';
import { fieldsInReason } from '../src/registry';

const line = (quantityType: unknown) => ({
  type: 'record', name: 'Line', fields: [
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
    assert.deepEqual(readIssues(withNote, v1), []);
  });

  test('an older reader ignores a field it does not know', () => {
    assert.deepEqual(readIssues(v1, withNote), []);
  });

  test('names a field the reader requires, without default, that the writer lacks', () => {
    const withChannel = order([...v1.fields, { name: 'channel', type: 'string' }]);

    const issues = readIssues(withChannel, v1);

    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.field, 'channel');
    assert.match(issues[0]!.message, /field "channel" is missing from the writer schema and has no default/);
  });

  test('names a field whose type changed', () => {
    const retyped = order([v1.fields[0]!, { name: 'totalMinor', type: 'string' }, v1.fields[2]!]);

    const issues = readIssues(retyped, v1);

    assert.deepEqual(issues.map((issue) => issue.field), ['totalMinor']);
    assert.match(issues[0]!.message, /reader type .*string.* cannot read writer type .*long/);
  });

  test('names a field nested in array items by its path', () => {
    const retyped = order([v1.fields[0]!, v1.fields[1]!, { name: 'lines', type: { type: 'array', items: line('string') } }]);

    assert.deepEqual(readIssues(retyped, v1).map((issue) => issue.field), ['lines[].quantity']);
  });

  test('accepts the promotions Avro allows, such as int written and long read', () => {
    const intLines = order([v1.fields[0]!, v1.fields[1]!, { name: 'lines', type: { type: 'array', items: line('int') } }]);

    assert.deepEqual(readIssues(v1, intLines), []);
  });

  test('names an enum that lacks a written symbol and has no default', () => {
    const mode = (symbols: string[], extra: object = {}) => order([{ name: 'mode', type: { type: 'enum', name: 'Mode', symbols, ...extra } }]);

    assert.deepEqual(readIssues(mode(['A']), mode(['A', 'B'])).map((issue) => issue.field), ['mode']);
    assert.deepEqual(readIssues(mode(['A'], { default: 'A' }), mode(['A', 'B'])), []);
  });

  test('names a record read under another name without an alias', () => {
    const renamed = { ...v1, name: 'Purchase' };

    assert.match(readIssues(renamed, v1)[0]!.message, /cannot read writer record tulity\.test\.Order/);
    assert.deepEqual(readIssues({ ...renamed, aliases: ['tulity.test.Order'] }, v1), []);
  });
});

describe('pairsFor', () => {
  test('BACKWARD checks the new reader against the previous writer only', () => {
    assert.deepEqual(pairsFor('BACKWARD', 3), [{ reader: 3, writer: 2 }]);
  });

  test('FORWARD_TRANSITIVE checks every earlier reader against the new writer', () => {
    assert.deepEqual(pairsFor('FORWARD_TRANSITIVE', 3), [{ reader: 1, writer: 3 }, { reader: 2, writer: 3 }]);
  });

  test('FULL_TRANSITIVE checks both directions against every earlier version', () => {
    assert.deepEqual(pairsFor('FULL_TRANSITIVE', 3), [
      { reader: 3, writer: 1 }, { reader: 1, writer: 3 },
      { reader: 3, writer: 2 }, { reader: 2, writer: 3 },
    ]);
  });

  test('NONE and a first version check nothing', () => {
    assert.deepEqual(pairsFor('NONE', 4), []);
    assert.deepEqual(pairsFor('FULL_TRANSITIVE', 1), []);
  });
});

describe('historyViolations', () => {
  const withoutTotal = order([v1.fields[0]!, v1.fields[2]!, { name: 'note', type: ['null', 'string'], default: null }]);

  test('removing a field without default passes BACKWARD_TRANSITIVE: new readers never need it', () => {
    assert.deepEqual(historyViolations([v1, withNote, withoutTotal], 'BACKWARD_TRANSITIVE'), []);
  });

  test('removing a field without default fails FULL_TRANSITIVE, naming the field and the versions', () => {
    const violations = historyViolations([v1, withNote, withoutTotal], 'FULL_TRANSITIVE');

    assert.deepEqual(violations.map((v) => [v.reader, v.writer, v.issues.map((issue) => issue.field)]), [
      [1, 3, ['totalMinor']],
      [2, 3, ['totalMinor']],
    ]);
  });

  test('the transitive level also checks the newest version against the first', () => {
    const retyped = order([v1.fields[0]!, { name: 'totalMinor', type: 'string' }, v1.fields[2]!]);
    const restored = order([v1.fields[0]!, { name: 'totalMinor', type: 'string' }, v1.fields[2]!, withNote.fields[3]!]);

    assert.equal(historyViolations([v1, retyped, restored], 'BACKWARD').length, 1);
    assert.deepEqual(historyViolations([v1, retyped, restored], 'BACKWARD_TRANSITIVE').map((v) => [v.reader, v.writer]), [[2, 1], [3, 1]]);
  });
});

describe('readerViolations', () => {
  test('a reader of an old version must read every kept writer version', () => {
    const withoutTotal = order([v1.fields[0]!, v1.fields[2]!]);

    const violations = readerViolations([v1, withoutTotal], 1);

    assert.deepEqual(violations.map((v) => [v.reader, v.writer, v.issues[0]!.field]), [[1, 2, 'totalMinor']]);
  });

  test('a reader version that is not kept is reported', () => {
    assert.match(readerViolations([v1], 2)[0]!.issues[0]!.message, /v2 is not kept/);
  });
});

describe('fieldsInReason', () => {
  // Reasons as Apicurio 3.0.9 returns them on its ccompat API (409 on POST .../versions).
  test('resolves a pointer to a changed type into the field name', () => {
    const reason = 'io.apicurio.registry.rules.RuleViolationException: Incompatible artifact: s [AVRO], num of incompatible diffs: {1}, list of diff types: [reader type: STRING not compatible with writer type: LONG at /fields/1/type]';

    assert.deepEqual(fieldsInReason(reason, v1), ['totalMinor']);
  });

  test('resolves pointers into array items into a path', () => {
    const reason = 'list of diff types: [reader type: STRING not compatible with writer type: LONG at /fields/2/type/items/fields/1/type]';

    assert.deepEqual(fieldsInReason(reason, v1), ['lines[].quantity']);
  });

  test('takes a field the reason names as named, even when the pointer is into the other schema', () => {
    const reason = 'list of diff types: [cashierId at /fields/1, warehouseId at /fields/2/type/items/fields/5]';

    assert.deepEqual(fieldsInReason(reason, v1), ['cashierId', 'lines[].warehouseId']);
  });

  test('ignores pointers that do not fit the schema', () => {
    assert.deepEqual(fieldsInReason('reader type: STRING not compatible with writer type: LONG at /fields/9/type', v1), []);
  });
});
