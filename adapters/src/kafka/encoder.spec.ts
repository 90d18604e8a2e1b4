// kafkajs's encoder as ./encoder.ts leaves it: what it writes, read back by kafkajs's own decoders.
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import KafkajsDecoder from 'kafkajs/src/protocol/decoder.js';
import { RecordBatch as KafkajsRecordBatch } from 'kafkajs/src/protocol/recordBatch/v0/index.js';
import decodeKafkajsRecordBatch from 'kafkajs/src/protocol/recordBatch/v0/decoder.js';
import KafkajsRecord from 'kafkajs/src/protocol/recordBatch/record/v0/index.js';
import { Encoder } from './encoder';

interface Decoder {
  readVarInt(): number;
  readVarLong(): { toString(): string };
}
const Decoder = KafkajsDecoder as new (buffer: Buffer) => Decoder;

interface Message {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  timestamp: string;
  offset: string;
}
const Record = KafkajsRecord as (record: object) => object;
const RecordBatch = KafkajsRecordBatch as (batch: object) => Promise<{ buffer: Buffer }>;
const decodeRecordBatch = decodeKafkajsRecordBatch as (decoder: Decoder) => Promise<{ records: Message[] }>;

/** What kafkajs reads from the bytes an encoder wrote. */
const readBack = (encoder: InstanceType<typeof Encoder>) =>
  new Decoder((encoder as unknown as { buffer: Buffer }).buffer);

const edges = [0, 1, -1, 63, -64, 64, 127, 128, 300, -300, 16_383, 16_384, 2 ** 20, -(2 ** 20)];
const int32s = [...edges, 2 ** 30 - 1, -(2 ** 30), 2 ** 30, 2 ** 31 - 1, -(2 ** 31)];

describe('the encoder, as the relay uses it', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('writes every 32-bit varint as kafkajs reads it back', () => {
    for (const value of int32s) expect(readBack(new Encoder().writeVarInt(value)).readVarInt()).toBe(value);
  });

  test('writes varlongs as kafkajs reads them back, small or not', () => {
    const longs = [...int32s, 2 ** 40, -(2 ** 40), Number.MAX_SAFE_INTEGER];
    for (const value of longs) {
      const encoder = new Encoder().writeVarLong(value);
      expect(readBack(encoder).readVarLong().toString()).toBe(String(value));
      expect(Encoder.sizeOfVarLong(value)).toBe(encoder.offset);
    }
  });

  test('writes a batch of records, keys, headers and timestamps as kafkajs reads it back', async () => {
    const at = 1_796_000_000_000;
    const messages = Array.from({ length: 300 }, (_, i) => ({
      key: `aggregate-${i % 7}`,
      // Sizes on both sides of an encoder's first growth, and one batch far past it.
      value: Buffer.alloc((i % 40) * 9, i % 256),
      headers: { 'event-type': 'ItemRecorded', 'event-id': `e-${i}`, 'correlation-id': 'é'.repeat(i % 5) },
      timestamp: at + i * 1_000,
    }));
    const records = messages.map(({ timestamp, ...message }, i) =>
      Record({ ...message, offsetDelta: i, timestampDelta: timestamp - at }),
    );
    const { buffer } = await RecordBatch({ records, firstTimestamp: at, maxTimestamp: at + 299_000 });

    const decoded = await decodeRecordBatch(new Decoder(buffer));
    expect(decoded.records.map((r) => [r.key.toString(), r.value.toString('hex'), r.timestamp, r.offset])).toEqual(
      messages.map((m, i) => [m.key, m.value.toString('hex'), String(m.timestamp), String(i)]),
    );
    expect(
      decoded.records.map((r) => Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, `${v}`]))),
    ).toEqual(messages.map((m) => m.headers));
  });

  test('starts without a buffer of its own and writes varints without one either', () => {
    const from = jest.spyOn(Buffer, 'from');
    const encoder = new Encoder();
    expect(encoder.buf.length).toBe(0);
    encoder.writeVarInt(300).writeVarLong(1_000);
    expect(from).not.toHaveBeenCalled();
  });
});
