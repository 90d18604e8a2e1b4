import type { IHeaders } from 'kafkajs';

/** Dead letters of `topic` go to `<topic>.dlq`. */
export const deadLetterTopic = (topic: string) => `${topic}.dlq`;

/** Headers a dead letter carries on top of the original ones. */
export const DLQ_HEADERS = {
  reason: 'dlq-reason',
  error: 'dlq-error',
  topic: 'dlq-topic',
  partition: 'dlq-partition',
  offset: 'dlq-offset',
  group: 'dlq-group',
  at: 'dlq-at',
} as const;

export interface DeadLetterOrigin {
  reason: string;
  error: string;
  topic: string;
  partition: number;
  offset: string;
  group: string;
}

export function deadLetterHeaders(original: IHeaders, origin: DeadLetterOrigin): IHeaders {
  return {
    ...original,
    [DLQ_HEADERS.reason]: origin.reason,
    [DLQ_HEADERS.error]: origin.error.slice(0, 1000),
    [DLQ_HEADERS.topic]: origin.topic,
    [DLQ_HEADERS.partition]: String(origin.partition),
    [DLQ_HEADERS.offset]: origin.offset,
    [DLQ_HEADERS.group]: origin.group,
    [DLQ_HEADERS.at]: new Date().toISOString(),
  };
}

/** The original headers of a dead letter, without the dead-letter ones. */
export function originalHeaders(headers: IHeaders): IHeaders {
  const dlq = new Set<string>(Object.values(DLQ_HEADERS));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !dlq.has(name)));
}

export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
