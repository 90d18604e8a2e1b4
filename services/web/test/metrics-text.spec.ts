import { describe, expect, test } from '@jest/globals';
import { parseMetrics } from '../src/metrics-text';

describe('the metrics text reader', () => {
  test('reads samples with labels, escaped values and timestamps, and skips comments', () => {
    const text = [
      '# HELP relay_published_total Outbox events the broker acknowledged.',
      '# TYPE relay_published_total counter',
      'relay_published_total{topic="transactions.sale",type="tulity.transactions.SaleRequested",service="transactions"} 5',
      'consumer_dead_lettered_total{group="products",topic="a\\"b",reason="line\\nbreak\\\\"} 1 1700000000000',
      'outbox_pending_events 3',
      'not a sample',
      '',
    ].join('\n');
    expect(parseMetrics(text)).toEqual([
      {
        name: 'relay_published_total',
        labels: { topic: 'transactions.sale', type: 'tulity.transactions.SaleRequested', service: 'transactions' },
        value: 5,
      },
      {
        name: 'consumer_dead_lettered_total',
        labels: { group: 'products', topic: 'a"b', reason: 'line\nbreak\\' },
        value: 1,
      },
      { name: 'outbox_pending_events', labels: {}, value: 3 },
    ]);
  });
});
