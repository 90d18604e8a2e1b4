// The signed-in user's notifications, live: the unread count and the newest ones, kept by one
// stream (Server-Sent Events) for the whole app while something on screen watches them. Each
// connection redeems a fresh single-use ticket and resumes after the last sequence it saw.
import { useEffect, useSyncExternalStore } from 'react';
import { call, notifications } from '../../api/client';
import type { paths } from '../../api/generated/notifications';
import { createSseParser } from './sse';

export type NotificationPage = paths['/api/v1/notifications']['get']['responses'][200]['content']['application/json'];
export type AppNotification = NotificationPage['items'][number];

export interface LiveState {
  /** Until the first list arrived. */
  loaded: boolean;
  connected: boolean;
  unread: number;
  /** Newest first, at most `keep`. */
  latest: AppNotification[];
}

const keep = 20;
const retryMinMs = 1_000;
const retryMaxMs = 30_000;

type Listener = () => void;

const initial: LiveState = { loaded: false, connected: false, unread: 0, latest: [] };
let state = initial;
const watchers = new Set<Listener>();
const arrivals = new Set<(notification: AppNotification) => void>();
let running: AbortController | undefined;

function set(change: Partial<LiveState>) {
  state = { ...state, ...change };
  watchers.forEach((watcher) => watcher());
}

function arrived(notification: AppNotification) {
  if (state.latest.some((seen) => seen.id === notification.id)) return;
  set({
    latest: [notification, ...state.latest].slice(0, keep),
    unread: state.unread + (notification.readAt === null ? 1 : 0),
  });
  arrivals.forEach((listener) => listener(notification));
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Reads one connection to its end; returns the last sequence seen. */
async function readStream(from: number, signal: AbortSignal): Promise<number> {
  const { ticket } = await call(notifications.POST('/api/v1/notifications/stream-tickets'));
  const { response } = await notifications.GET('/api/v1/notifications/stream', {
    params: { query: { ticket } },
    headers: { 'last-event-id': String(from), accept: 'text/event-stream' },
    parseAs: 'stream',
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`The notification stream answered ${response.status}.`);
  set({ connected: true });
  let last = from;
  const parser = createSseParser((event) => {
    if (event.event !== 'notification') return;
    const notification = JSON.parse(event.data) as AppNotification;
    last = Math.max(last, notification.seq);
    arrived(notification);
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return last;
      parser.push(value);
    }
  } finally {
    reader.releaseLock();
  }
}

async function run(signal: AbortSignal) {
  let from = 0;
  let retryMs = retryMinMs;
  while (!signal.aborted) {
    try {
      // The list first (count and newest), then the stream from its newest sequence: nothing falls between.
      if (!state.loaded) {
        const page = await call(notifications.GET('/api/v1/notifications', { params: { query: { pageSize: keep } } }));
        set({ loaded: true, unread: page.unreadCount, latest: page.items });
        from = Math.max(0, ...page.items.map((item) => item.seq));
      }
      from = await readStream(from, signal);
      retryMs = retryMinMs;
    } catch {
      // Offline, a service restarting, a session being renewed: try again, less often each time.
      retryMs = Math.min(retryMaxMs, retryMs * 2);
    }
    set({ connected: false });
    await pause(retryMs, signal);
  }
}

function watch(listener: Listener) {
  watchers.add(listener);
  if (!running) {
    running = new AbortController();
    void run(running.signal);
  }
  return () => {
    watchers.delete(listener);
    if (watchers.size === 0 && running) {
      running.abort();
      running = undefined;
      state = initial;
    }
  };
}

/** The live notifications; the stream runs while at least one component uses this. */
export function useLiveNotifications(): LiveState {
  return useSyncExternalStore(watch, () => state);
}

/** Calls `listener` for each notification that arrives while the component is mounted. */
export function useNotificationArrivals(listener: (notification: AppNotification) => void) {
  useEffect(() => {
    arrivals.add(listener);
    return () => void arrivals.delete(listener);
  }, [listener]);
}

/**
 * Keeps the shared count and list in step after the user marked notifications read or unread
 * (`unreadDelta` by the caller, who knows their state before), or all read (`unread: 0`).
 */
export function markedLocally(changed: AppNotification[], unread: { delta: number } | { count: number }) {
  const byId = new Map(changed.map((notification) => [notification.id, notification]));
  set({
    latest: state.latest.map((notification) => byId.get(notification.id) ?? notification),
    unread: 'count' in unread ? unread.count : Math.max(0, state.unread + unread.delta),
  });
}
