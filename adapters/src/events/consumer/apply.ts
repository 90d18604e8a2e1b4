import type { Knex } from 'knex';
import type { KafkaMessage } from 'kafkajs';
import type { EventMetrics } from '../metrics';
import type { Decode } from './decode';
import type { IncomingEvent } from './event';
import type { ApplyInTransaction } from './inbox';
import { transaction } from '../../postgres/transaction';

interface ApplierOptions {
  groupId: string;
  db: Knex;
  decode: Decode;
  applyIn: ApplyInTransaction;
  metrics: EventMetrics;
  /** Most messages applied in one transaction. */
  maxRun: number;
  afterApply?: (event: IncomingEvent) => void | Promise<void>;
}

export interface Applier {
  /**
   * The fast path: consecutive messages decoded and applied in ONE transaction, so a busy
   * partition costs one commit per run instead of one per event. It settles all of the run or
   * none: on any failure it returns how many messages to take down the one-by-one path instead.
   */
  applyRun(topic: string, partition: number, messages: KafkaMessage[]): Promise<{ settled: number; fallback: number }>;
  /** One event in a transaction of its own; throws what the handler or the database threw. */
  applyOne(event: IncomingEvent): Promise<void>;
}

export function createApplier(options: ApplierOptions): Applier {
  const { groupId, db, decode, applyIn, metrics, maxRun } = options;

  /** Counts an event whose transaction committed, then runs the test hook. */
  async function settled(event: IncomingEvent, fresh: boolean) {
    if (fresh) {
      metrics.consumerProcessed.inc({ group: groupId, type: event.type });
      const occurredAt = Number(event.payload.occurredAt);
      if (Number.isFinite(occurredAt)) {
        metrics.endToEnd.observe({ group: groupId, type: event.type }, Math.max(0, Date.now() - occurredAt) / 1000);
      }
    } else {
      metrics.consumerDuplicates.inc({ group: groupId, type: event.type });
    }
    await options.afterApply?.(event);
  }

  return {
    async applyRun(topic, partition, messages) {
      const run: Array<IncomingEvent | null> = [];
      for (const message of messages.slice(0, maxRun)) {
        try {
          run.push(await decode(topic, partition, message));
        } catch {
          break;
        }
      }
      if (run.length < 2) return { settled: 0, fallback: 1 };
      const events = run.filter((event): event is IncomingEvent => event !== null);
      let fresh: boolean[];
      try {
        fresh = events.length > 0 ? await transaction(db, (trx) => applyIn(trx, events)) : [];
      } catch {
        return { settled: 0, fallback: run.length };
      }
      for (const [index, event] of events.entries()) await settled(event, fresh[index]!);
      return { settled: run.length, fallback: 0 };
    },

    async applyOne(event) {
      const [fresh] = await transaction(db, (trx) => applyIn(trx, [event]));
      await settled(event, fresh!);
    },
  };
}
