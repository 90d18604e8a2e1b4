// kafkajs ships its internals without types; request-queue.ts and encoder.ts give them the shapes they use.
declare module 'kafkajs/src/network/requestQueue/index.js' {
  const RequestQueue: unknown;
  export default RequestQueue;
}

declare module 'kafkajs/src/protocol/encoder.js' {
  const Encoder: unknown;
  export default Encoder;
}

// What encoder.spec.ts decodes the encoders' output with.
declare module 'kafkajs/src/protocol/decoder.js' {
  const Decoder: unknown;
  export default Decoder;
}

declare module 'kafkajs/src/protocol/recordBatch/v0/index.js' {
  export const RecordBatch: unknown;
}

declare module 'kafkajs/src/protocol/recordBatch/v0/decoder.js' {
  const decodeRecordBatch: unknown;
  export default decodeRecordBatch;
}

declare module 'kafkajs/src/protocol/recordBatch/record/v0/index.js' {
  const Record: unknown;
  export default Record;
}

// What partitioner.spec.ts compares the partitioner's hash with.
declare module 'kafkajs/src/producer/partitioners/default/murmur2.js' {
  const murmur2: unknown;
  export default murmur2;
}
