// A sale followed until products has answered: pending moves to confirmed or rejected within
// moments (the saga runs over Kafka). The sale is read again when a notification about it arrives,
// and now and then meanwhile in case the notification is late.
import { useCallback, useEffect, useRef, useState } from 'react';
import { call, transactions } from '../../api/client';
import { useNotificationArrivals, type AppNotification } from '../notifications/live';
import type { Sale } from './api-types';

const pollMs = 1_500;
/** After this long the page stops asking by itself; the sale's own deadline cancels it server-side. */
const giveUpMs = 120_000;

export interface LiveSale {
  sale: Sale | undefined;
  error: unknown;
  /** Replaces the sale with a newer state the page already has (after a cancel or a return). */
  update(sale: Sale): void;
  reload(): void;
}

export function useLiveSale(id: string | undefined, first?: Sale): LiveSale {
  const [sale, setSale] = useState<Sale | undefined>(first);
  const [error, setError] = useState<unknown>(undefined);
  const started = useRef(Date.now());
  const current = useRef(id);
  current.current = id;

  const reload = useCallback(() => {
    if (!id) return;
    call(transactions.GET('/api/v1/sales/{id}', { params: { path: { id } } })).then(
      (fresh) => {
        if (current.current !== id) return;
        setSale(fresh);
        setError(undefined);
      },
      (failure: unknown) => {
        if (current.current === id) setError(failure);
      },
    );
  }, [id]);

  useEffect(() => {
    started.current = Date.now();
    setSale(first?.id === id ? first : undefined);
    reload();
    // `first` is only the starting point for a new id.
  }, [id, reload]);

  const pending = sale?.status === 'pending';
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      if (Date.now() - started.current > giveUpMs) clearInterval(timer);
      else reload();
    }, pollMs);
    return () => clearInterval(timer);
  }, [pending, reload]);

  useNotificationArrivals(
    useCallback(
      (notification: AppNotification) => {
        if (notification.link?.resource === 'sales' && notification.link.id === id) reload();
      },
      [id, reload],
    ),
  );

  return { sale, error, update: setSale, reload };
}
