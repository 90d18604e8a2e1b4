import type { TopicMessages } from 'kafkajs';
import type { OutboxRow } from './claim';

/** The relay's three kinds of work, each one call: the database's (mark and claim in one statement), the encoder's and the broker's. */
export interface PipelineStages {
  /** Marks `acknowledged` published and claims up to `limit` of the next unpublished rows, leaving out `inFlight`. */
  markAndClaim(acknowledged: string[], inFlight: string[], limit: number): Promise<OutboxRow[]>;
  encode(rows: OutboxRow[]): Promise<TopicMessages[]>;
  /** Resolves once the broker acknowledged every message of the batch. */
  produce(batch: Batch): Promise<void>;
  /** Notes on the rows that encoding or producing them failed. */
  failed(rows: OutboxRow[], error: unknown): Promise<void>;
}

export interface PublishPipeline {
  /**
   * Sends the batch claimed last (claiming one first when there is none) and, while the broker
   * works on it, marks the batch before it published and claims and encodes the next one.
   * Resolves to the rows the broker acknowledged. Rejects when any stage failed, after all of
   * them settled; the rows claimed ahead are then dropped, so the next cycle claims again from
   * the oldest unpublished row.
   */
  cycle(): Promise<OutboxRow[]>;
  /** Marks what was acknowledged and is not marked yet (before the relay lets go of its lock). */
  flush(): Promise<void>;
}

/** Claimed rows and their encoded messages. */
export interface Batch {
  rows: OutboxRow[];
  topicMessages: TopicMessages[];
}

/**
 * Claim, send and mark overlap, and per-key order holds because only the database work runs
 * ahead: at most one batch is ever with the broker, and batch N+1 is sent only after batch N was
 * acknowledged. A failed N therefore has no successor in flight that could land before its
 * retry (with kafkajs, a second sendBatch waiting on the idempotent producer's broker lock would
 * go out as soon as N's attempt failed). Rows are marked published only once acknowledged: their
 * ids join `acknowledged` after the send resolved, and the next claim marks them.
 */
export function publishPipeline(stages: PipelineStages, batchSize: number): PublishPipeline {
  /** Claimed and encoded, to send next; dropped after any failure. */
  let ready: Batch | undefined;
  /** Acknowledged by the broker and not marked published yet; kept across failures, as they stay true. */
  let acknowledged: string[] = [];

  /** Marks what is acknowledged; on failure those ids stay to be marked by a later statement. */
  async function markAnd(inFlight: string[], limit: number): Promise<OutboxRow[]> {
    const marking = acknowledged;
    acknowledged = [];
    try {
      return await stages.markAndClaim(marking, inFlight, limit);
    } catch (error) {
      acknowledged = [...marking, ...acknowledged];
      throw error;
    }
  }

  async function claim(inFlight: string[]): Promise<Batch> {
    const rows = await markAnd(inFlight, batchSize);
    if (rows.length === 0) return { rows, topicMessages: [] };
    try {
      return { rows, topicMessages: await stages.encode(rows) };
    } catch (error) {
      await stages.failed(rows, error);
      throw error;
    }
  }

  return {
    async cycle() {
      const batch = ready && ready.rows.length > 0 ? ready : await claim([]);
      ready = undefined;
      if (batch.rows.length === 0) return [];
      const ids = batch.rows.map((row) => row.id);
      const [sent, next] = await Promise.allSettled([stages.produce(batch), claim(ids)]);
      if (sent.status === 'fulfilled') acknowledged.push(...ids);
      if (sent.status === 'rejected') {
        await stages.failed(batch.rows, sent.reason);
        throw sent.reason;
      }
      if (next.status === 'rejected') throw next.reason;
      ready = next.value;
      return batch.rows;
    },

    async flush() {
      ready = undefined;
      if (acknowledged.length > 0) await markAnd([], 0);
    },
  };
}
