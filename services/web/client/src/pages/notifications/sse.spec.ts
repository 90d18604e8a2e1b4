import { describe, expect, test } from '@jest/globals';
import { createSseParser, type SseEvent } from './sse';

const parse = (...chunks: string[]) => {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return events;
};

describe('the event stream parser', () => {
  test('reads events with their id and type, and skips comments and heartbeats', () => {
    expect(
      parse('retry: 3000\n: connected\n\n', ': heartbeat\n\n', 'id: 7\nevent: notification\ndata: {"a":1}\n\n'),
    ).toEqual([{ id: '7', event: 'notification', data: '{"a":1}' }]);
  });

  test('an event cut anywhere between chunks is put back together, whatever the line breaks', () => {
    const text = 'id: 8\r\nevent: notification\r\ndata: one\r\ndata: two\r\n\r\ndata: plain\n\n';
    const whole = parse(text);
    expect(whole).toEqual([
      { id: '8', event: 'notification', data: 'one\ntwo' },
      { id: undefined, event: 'message', data: 'plain' },
    ]);
    for (let cut = 1; cut < text.length; cut++) expect(parse(text.slice(0, cut), text.slice(cut))).toEqual(whole);
  });

  test('an event is only delivered once its blank line arrived', () => {
    expect(parse('id: 9\ndata: half')).toEqual([]);
  });
});
