// kafkajs 2.2.4 (its last release) spends most of a relay's CPU encoding records, and most of that
// allocating. Each record and each of its headers gets an encoder whose constructor zero-fills a
// 512-byte buffer of its own (Buffer.alloc is never pooled), and every varint goes through
// Buffer.from([...bytes]). Here an encoder starts empty and grows from Node's buffer pool, and
// varints are written in place: 17 → 9 µs a record in a produce request, byte for byte the same
// (encoder.spec.ts decodes it with kafkajs's own decoders).
// Imported by its path, statically, so that a bundler keeps the one module kafkajs itself uses.
import KafkajsEncoder from 'kafkajs/src/protocol/encoder.js';

interface KafkaEncoder {
  buf: Buffer;
  offset: number;
  ensureAvailable(length: number): void;
  writeVarInt(value: number): KafkaEncoder;
  writeUVarInt(value: number): KafkaEncoder;
  writeVarLong(value: unknown): KafkaEncoder;
}

/** kafkajs's own class, the one its requests use; kafkajs does not export it. */
export const Encoder = KafkajsEncoder as {
  new (): KafkaEncoder;
  prototype: KafkaEncoder;
  nextPowerOfTwo(value: number): number;
  sizeOfVarInt(value: number): number;
  sizeOfVarLong(value: unknown): number;
};

const { nextPowerOfTwo, sizeOfVarLong } = Encoder;
const { writeVarLong } = Encoder.prototype;
if ([nextPowerOfTwo, sizeOfVarLong, writeVarLong, Encoder.sizeOfVarInt].some((f) => typeof f !== 'function'))
  throw new Error('kafkajs changed: its Encoder lacks a method encoder.ts replaces or uses');

/** Most records fit: one growth from the pool, none after. */
const FIRST_SIZE = 256;
const MORE_BITS = 0xffffff80;

Encoder.prototype.ensureAvailable = function grow(this: KafkaEncoder, length: number) {
  const needed = this.offset + length;
  if (needed <= this.buf.length) return;
  // Unfilled is safe: an encoder reads back only the bytes it wrote, below its offset. Under 4 KiB,
  // Node hands out a slice of its shared pool.
  const grown = Buffer.allocUnsafe(Math.max(FIRST_SIZE, nextPowerOfTwo(needed)));
  this.buf.copy(grown, 0, 0, this.offset);
  this.buf = grown;
};

// The constructor sizes its buffer with this, and growing (above) no longer does: an empty start.
Encoder.nextPowerOfTwo = () => 0;

Encoder.prototype.writeUVarInt = function writeUVarInt(this: KafkaEncoder, value: number) {
  this.ensureAvailable(5);
  while ((value & MORE_BITS) !== 0) {
    this.buf[this.offset++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  this.buf[this.offset++] = value;
  return this;
};

// A record's timestamp delta is a small number, whose 64-bit zigzag is the 32-bit one: no Long.
const small = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= -0x40000000 && value < 0x40000000;

Encoder.prototype.writeVarLong = function writeSmallVarLong(this: KafkaEncoder, value: unknown) {
  return small(value) ? this.writeVarInt(value) : writeVarLong.call(this, value);
};

Encoder.sizeOfVarLong = (value) => (small(value) ? Encoder.sizeOfVarInt(value) : sizeOfVarLong.call(Encoder, value));
