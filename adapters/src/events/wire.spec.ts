import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { decodeWire, encodeWire, WireFormatError } from './wire';
import { deadLetterHeaders, originalHeaders } from './dead-letters';

describe('Confluent wire format', () => {
  test('puts a zero magic byte and the big-endian schema id before the body, and reads them back', () => {
    const message = encodeWire(0x01020304, Buffer.from([9, 8, 7]));
    assert.deepEqual([...message], [0, 1, 2, 3, 4, 9, 8, 7]);
    const { schemaId, body } = decodeWire(message);
    assert.equal(schemaId, 0x01020304);
    assert.deepEqual([...body], [9, 8, 7]);
  });

  test('refuses a message with another magic byte or too short to hold a schema id', () => {
    assert.throws(() => decodeWire(Buffer.from('{"json":true}')), WireFormatError);
    assert.throws(() => decodeWire(Buffer.from([0, 0, 1])), /need at least 5/);
    assert.throws(() => decodeWire(null), WireFormatError);
  });
});

describe('dead-letter headers', () => {
  test('add where the letter came from and why, and can be stripped back to the originals', () => {
    const original = { 'event-type': 'tulity.test.X', 'event-id': 'e-1' };
    const headers = deadLetterHeaders(original, {
      reason: 'undecodable', error: 'bad bytes', topic: 't', partition: 2, offset: '41', group: 'g',
    });
    assert.equal(headers['dlq-reason'], 'undecodable');
    assert.equal(headers['dlq-partition'], '2');
    assert.equal(headers['dlq-offset'], '41');
    assert.ok(!Number.isNaN(Date.parse(String(headers['dlq-at']))));
    assert.deepEqual(originalHeaders(headers), original);
  });
});
