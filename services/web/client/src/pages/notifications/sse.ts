// Server-Sent Events as the WHATWG spec reads them, for a stream read with fetch: EventSource
// cannot resume with a fresh ticket (it reconnects to the same URL, and a ticket is single-use), so
// the app opens each connection itself and sends Last-Event-ID.

export interface SseEvent {
  /** The `id:` of the event, if it had one. */
  id: string | undefined;
  /** `event:`, or "message". */
  event: string;
  data: string;
}

export interface SseParser {
  /** Text as it arrives, cut anywhere (even between \r and \n). */
  push(text: string): void;
}

/** Longest event kept; a stream that sends more without a blank line is broken, not a notification. */
const maxEventChars = 1_000_000;

export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  let pending = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let size = 0;

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onEvent({ id, event: event || 'message', data: data.join('\n') });
      data = [];
      event = '';
      id = undefined;
      size = 0;
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    size += value.length;
    if (size > maxEventChars) throw new Error('An event in the stream is too large.');
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };

  return {
    push(text) {
      pending += text;
      // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
      let at: number;
      while ((at = pending.search(/\r\n|\r(?=[^\n])|\n/)) !== -1) {
        const breakLength = pending.startsWith('\r\n', at) ? 2 : 1;
        line(pending.slice(0, at));
        pending = pending.slice(at + breakLength);
      }
      if (pending.length > maxEventChars) throw new Error('A line in the stream is too long.');
    },
  };
}
