import { describe, test, expect } from '@jest/globals';
import { decodeWire, encodeWire, WireFormatError } from './wire';
import { deadLetterHeaders, originalHeaders } from './dead-letters';

describe('Confluent wire format', () => {
  test('puts a zero magic byte and the big-endian schema id before the body, and reads them back', () => {
    const message = encodeWire(0x01020304, Buffer.from([9, 8, 7]));
    expect([...message]).toEqual([0, 1, 2, 3, 4, 9, 8, 7]);
    const { schemaId, body } = decodeWire(message);
    expect(schemaId).toBe(0x01020304);
    expect([...body]).toEqual([9, 8, 7]);
  });

  test('refuses a message with another magic byte or too short to hold a schema id', () => {
    expect(() => decodeWire(Buffer.from('{"json":true}'))).toThrow(WireFormatError);
    expect(() => decodeWire(Buffer.from([0, 0, 1]))).toThrow(/need at least 5/);
    expect(() => decodeWire(null)).toThrow(WireFormatError);
  });
});

describe('dead-letter headers', () => {
  test('add where the letter came from and why, and can be stripped back to the originals', () => {
    const original = { 'event-type': 'tulity.test.X', 'event-id': 'e-1' };
    const headers = deadLetterHeaders(original, {
      reason: 'undecodable',
      error: 'bad bytes',
      topic: 't',
      partition: 2,
      offset: '41',
      group: 'g',
    });
    expect(headers['dlq-reason']).toBe('undecodable');
    expect(headers['dlq-partition']).toBe('2');
    expect(headers['dlq-offset']).toBe('41');
    expect(Date.parse(String(headers['dlq-at']))).not.toBeNaN();
    expect(originalHeaders(headers)).toEqual(original);
  });
});
