// The books of the shop, checked from what the databases and the topics hold — never from what
// the services say about themselves. A pure function over rows, so a planted fault (an event
// applied twice, an inbox row deleted) can be shown to fail it (books.spec.ts).

export interface StockRow {
  productId: string;
  quantity: number;
}
export interface MovementRow {
  productId: string;
  delta: number;
  balanceAfter: number;
  reason: string;
  reference: string | null;
}
export interface PurchaseLineRow {
  purchaseId: string;
  productId: string;
  baseQuantity: number;
}
export interface SaleRow {
  id: string;
  status: string;
}
export interface SaleLineRow {
  saleId: string;
  productId: string;
  baseQuantity: number;
  returnedBase: number;
}
export interface ReturnRow {
  id: string;
  saleId: string;
}
export interface ReservationRow {
  saleId: string;
  status: string;
}
export interface OutboxRow {
  service: string;
  eventId: string;
  topic: string;
  published: boolean;
}
export interface InboxRow {
  group: string;
  eventId: string;
}
export interface TopicEvent {
  topic: string;
  eventId: string;
  eventType: string;
}
export interface DeadLetter {
  topic: string;
  group: string;
  eventId: string;
}
export interface NotificationCount {
  sourceId: string;
  recipientId: string;
  count: number;
}

/** What the load was told with a 2xx: each of these must be in the books. */
export interface Acknowledged {
  sales: string[];
  purchases: string[];
  returns: string[];
  cancelled: string[];
  /** Per product: adjustments answered 2xx, and those that got no answer (they may or may not have happened). */
  adjustments: Record<string, { acknowledged: number; unanswered: number }>;
}

export interface BooksInput {
  products: string[];
  stock: StockRow[];
  movements: MovementRow[];
  purchaseLines: PurchaseLineRow[];
  sales: SaleRow[];
  saleLines: SaleLineRow[];
  returns: ReturnRow[];
  /** Returns products has put back (its own table, by return id). */
  productReturns: ReturnRow[];
  reservations: ReservationRow[];
  outbox: OutboxRow[];
  inbox: InboxRow[];
  topicEvents: TopicEvent[];
  deadLetters: DeadLetter[];
  /** Consumer group → the event types it applies. */
  handledTypes: Record<string, string[]>;
  notifications: NotificationCount[];
  acknowledged: Acknowledged;
}

export const checkNames = [
  'sales final',
  'stock = opening + purchases - sold + returns + adjustments',
  'stock = sum of ledger',
  'nothing oversold',
  'reservations match sales',
  'ledger: each cause once',
  'outbox published',
  'outbox events on their topics',
  'every event applied once per group',
  'no dead letters',
  'notifications once per cause and recipient',
  'answered 2xx, kept',
] as const;
export type CheckName = (typeof checkNames)[number];

export interface Check {
  name: CheckName;
  ok: boolean;
  /** What is wrong, with the ids involved (at most a few per kind). */
  problems: string[];
}

export interface BooksVerdict {
  checks: Check[];
  /** Events that did not reach where they should: unpublished, missing from a topic or from a group's inbox, dead-lettered. */
  lost: number;
  /** Effects applied more than once: ledger movements or notifications repeated for one cause. */
  appliedTwice: number;
  pendingSales: number;
  balanced: boolean;
  ok: boolean;
}

const openingStock = 0;
const shown = 5;
const list = (ids: Iterable<string>) => {
  const all = [...ids];
  return all.length > shown ? `${all.slice(0, shown).join(', ')} … (${all.length})` : all.join(', ');
};
const sumBy = <T>(rows: T[], key: (row: T) => string, value: (row: T) => number) => {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(key(row), (sums.get(key(row)) ?? 0) + value(row));
  return sums;
};

export function checkBooks(input: BooksInput): BooksVerdict {
  const checks: Check[] = [];
  const check = (name: CheckName, problems: string[]) => checks.push({ name, ok: problems.length === 0, problems });
  let lost = 0;
  let appliedTwice = 0;

  const pending = input.sales.filter((sale) => sale.status === 'pending');
  check('sales final', pending.length ? [`pending: ${list(pending.map((s) => s.id))}`] : []);

  const statusOf = new Map(input.sales.map((sale) => [sale.id, sale.status]));
  const purchased = sumBy(
    input.purchaseLines,
    (l) => l.productId,
    (l) => l.baseQuantity,
  );
  const confirmedLines = input.saleLines.filter((l) => statusOf.get(l.saleId) === 'confirmed');
  const sold = sumBy(
    confirmedLines,
    (l) => l.productId,
    (l) => l.baseQuantity,
  );
  const returned = sumBy(
    confirmedLines,
    (l) => l.productId,
    (l) => l.returnedBase,
  );
  const adjusted = sumBy(
    input.movements.filter((m) => m.reason === 'manual_adjustment'),
    (m) => m.productId,
    (m) => m.delta,
  );
  const ledger = sumBy(
    input.movements,
    (m) => m.productId,
    (m) => m.delta,
  );
  const stockOf = new Map(input.stock.map((row) => [row.productId, row.quantity]));
  const formula: string[] = [];
  const ledgerProblems: string[] = [];
  const oversold: string[] = [];
  for (const product of input.products) {
    const stock = stockOf.get(product) ?? 0;
    const expected =
      openingStock +
      (purchased.get(product) ?? 0) -
      (sold.get(product) ?? 0) +
      (returned.get(product) ?? 0) +
      (adjusted.get(product) ?? 0);
    if (stock !== expected) formula.push(`${product}: stock ${stock} ≠ ${expected} from the transactions`);
    if (stock !== (ledger.get(product) ?? 0))
      ledgerProblems.push(`${product}: stock ${stock} ≠ ledger ${ledger.get(product) ?? 0}`);
    if (stock < 0) oversold.push(`${product}: stock ${stock}`);
  }
  for (const movement of input.movements)
    if (movement.balanceAfter < 0)
      oversold.push(`${movement.productId}: balance ${movement.balanceAfter} after ${movement.reason}`);
  check('stock = opening + purchases - sold + returns + adjustments', formula);
  check('stock = sum of ledger', ledgerProblems);
  check('nothing oversold', oversold);

  // Products holds stock for exactly the sales transactions confirmed.
  const holding = new Set(
    input.reservations.filter((r) => r.status === 'reserved' || r.status === 'confirmed').map((r) => r.saleId),
  );
  const mismatched = input.sales
    .filter((sale) => (sale.status === 'confirmed') !== holding.has(sale.id))
    .map(
      (sale) => `${sale.id} (${sale.status}, products ${holding.has(sale.id) ? 'holds' : 'does not hold'} its stock)`,
    );
  check('reservations match sales', mismatched.length ? [list(mismatched)] : []);

  // Every cause moves each product's stock once: a second movement is an event applied twice.
  const causes = new Map<string, number>();
  for (const m of input.movements) {
    if (m.reason === 'manual_adjustment') continue;
    const key = `${m.reason} ${m.reference} ${m.productId}`;
    causes.set(key, (causes.get(key) ?? 0) + 1);
  }
  const repeated = [...causes].filter(([, count]) => count > 1);
  appliedTwice += repeated.reduce((sum, [, count]) => sum + count - 1, 0);
  const missingCauses: string[] = [];
  for (const line of input.purchaseLines)
    if (!causes.has(`purchase ${line.purchaseId} ${line.productId}`)) missingCauses.push(`purchase ${line.purchaseId}`);
  for (const line of confirmedLines)
    if (!causes.has(`sale_reservation ${line.saleId} ${line.productId}`)) missingCauses.push(`sale ${line.saleId}`);
  for (const [key] of causes) {
    const [reason, saleId, productId] = key.split(' ');
    if (
      reason === 'sale_reservation' &&
      statusOf.get(saleId!) !== 'confirmed' &&
      !causes.has(`reservation_release ${saleId} ${productId}`)
    )
      missingCauses.push(`release of ${saleId} (${statusOf.get(saleId!) ?? 'unknown'})`);
  }
  const putBack = new Set(input.productReturns.map((r) => r.id));
  for (const ret of input.returns) if (!putBack.has(ret.id)) missingCauses.push(`return ${ret.id}`);
  lost += missingCauses.length;
  check('ledger: each cause once', [
    ...(repeated.length ? [`applied twice: ${list(repeated.map(([key, count]) => `${key} ×${count}`))}`] : []),
    ...(missingCauses.length ? [`never applied: ${list(missingCauses)}`] : []),
  ]);

  const unpublished = input.outbox.filter((row) => !row.published);
  lost += unpublished.length;
  check(
    'outbox published',
    unpublished.length ? [`unpublished: ${list(unpublished.map((r) => `${r.service}:${r.eventId}`))}`] : [],
  );

  const onTopic = new Set(input.topicEvents.map((e) => `${e.topic} ${e.eventId}`));
  const notOnTopic = input.outbox.filter((row) => row.published && !onTopic.has(`${row.topic} ${row.eventId}`));
  lost += notOnTopic.length;
  check(
    'outbox events on their topics',
    notOnTopic.length
      ? [`published but not on the topic: ${list(notOnTopic.map((r) => `${r.topic}:${r.eventId}`))}`]
      : [],
  );

  const applyProblems: string[] = [];
  for (const [group, types] of Object.entries(input.handledTypes)) {
    const wanted = new Set(types);
    const expected = new Set(input.topicEvents.filter((e) => wanted.has(e.eventType)).map((e) => e.eventId));
    const applied = input.inbox.filter((row) => row.group === group).map((row) => row.eventId);
    const appliedSet = new Set(applied);
    const missing = [...expected].filter((id) => !appliedSet.has(id));
    const strange = [...appliedSet].filter((id) => !expected.has(id));
    const twice = applied.length - appliedSet.size;
    lost += missing.length;
    appliedTwice += twice;
    if (missing.length) applyProblems.push(`${group} never applied ${list(missing)}`);
    if (strange.length) applyProblems.push(`${group} applied events not on its topics: ${list(strange)}`);
    if (twice) applyProblems.push(`${group} has ${twice} inbox rows twice`);
  }
  check('every event applied once per group', applyProblems);

  lost += input.deadLetters.length;
  check(
    'no dead letters',
    input.deadLetters.length
      ? [`dead-lettered: ${list(input.deadLetters.map((d) => `${d.group}@${d.topic}:${d.eventId}`))}`]
      : [],
  );

  const doubled = input.notifications.filter((n) => n.count > 1);
  appliedTwice += doubled.reduce((sum, n) => sum + n.count - 1, 0);
  check(
    'notifications once per cause and recipient',
    doubled.length ? [`repeated: ${list(doubled.map((n) => `${n.sourceId}→${n.recipientId} ×${n.count}`))}`] : [],
  );

  const ack = input.acknowledged;
  const returnIds = new Set(input.returns.map((r) => r.id));
  const purchaseIds = new Set(input.purchaseLines.map((l) => l.purchaseId));
  const manual = sumBy(
    input.movements.filter((m) => m.reason === 'manual_adjustment'),
    (m) => m.productId,
    () => 1,
  );
  const gone = [
    ...ack.sales.filter((id) => !statusOf.has(id)).map((id) => `sale ${id}`),
    ...ack.purchases.filter((id) => !purchaseIds.has(id)).map((id) => `purchase ${id}`),
    ...ack.returns.filter((id) => !returnIds.has(id)).map((id) => `return ${id}`),
    ...ack.cancelled
      .filter((id) => statusOf.get(id) !== 'cancelled')
      .map((id) => `cancel of ${id} (now ${statusOf.get(id)})`),
    ...Object.entries(ack.adjustments)
      .filter(([product, a]) => {
        const found = manual.get(product) ?? 0;
        return found < a.acknowledged || found > a.acknowledged + a.unanswered;
      })
      .map(
        ([product, a]) =>
          `adjustments of ${product}: ${manual.get(product) ?? 0} in the ledger, ${a.acknowledged} answered 2xx`,
      ),
  ];
  check('answered 2xx, kept', gone.length ? [list(gone)] : []);

  const balanced = checks
    .filter((c) => c.name.startsWith('stock') || c.name === 'nothing oversold' || c.name === 'reservations match sales')
    .every((c) => c.ok);
  return {
    checks,
    lost,
    appliedTwice,
    pendingSales: pending.length,
    balanced,
    ok: checks.every((c) => c.ok),
  };
}
