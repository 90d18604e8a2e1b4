/**
 * The Confluent wire format: a zero magic byte, the schema id as a 4-byte big-endian integer, then
 * the Avro body. Any Confluent-compatible client reads what these write.
 */
export function encodeWire(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(0, 0);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

export class WireFormatError extends Error {}

export function decodeWire(message: Buffer | null): { schemaId: number; body: Buffer } {
  if (!message || message.length < 5) {
    throw new WireFormatError(`not in the Confluent wire format: ${message?.length ?? 0} bytes, need at least 5`);
  }
  if (message.readUInt8(0) !== 0) {
    throw new WireFormatError(`not in the Confluent wire format: magic byte ${message.readUInt8(0)}, expected 0`);
  }
  return { schemaId: message.readUInt32BE(1), body: message.subarray(5) };
}
