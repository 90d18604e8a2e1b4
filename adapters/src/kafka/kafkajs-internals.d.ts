// kafkajs ships its request queue without types; request-queue.ts gives it the shape it uses.
declare module 'kafkajs/src/network/requestQueue/index.js' {
  const RequestQueue: unknown;
  export default RequestQueue;
}
