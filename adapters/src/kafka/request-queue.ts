// kafkajs 2.2.4 keeps every broker connection spinning once it has had one answer: each check of
// the pending requests schedules the next on a timer, 1 ms away when nothing is throttled, even
// with nothing pending (tulios/kafkajs#1556 and #1704; the fix, #1667, was never released). A
// service's dozen connections woke its event loop some 4,000 times a second, 6 % of a core while
// idle. A check is scheduled here only when a request waits; a request that cannot go out at once
// schedules one when it is queued, and every answer checks the queue itself.
// Imported by its path, statically, so that a bundler keeps the one module kafkajs itself uses.
import KafkajsRequestQueue from 'kafkajs/src/network/requestQueue/index.js';

interface RequestQueue {
  pending: unknown[];
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own class, the one its connections use; kafkajs does not export it. */
export const RequestQueue = KafkajsRequestQueue as { prototype: RequestQueue };

const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;
if (typeof schedule !== 'function')
  throw new Error('kafkajs changed: RequestQueue.scheduleCheckPendingRequests is gone');

RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleWhilePending(this: RequestQueue) {
  if (this.pending.length > 0) schedule.call(this);
};
