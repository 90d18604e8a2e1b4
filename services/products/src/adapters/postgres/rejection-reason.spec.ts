import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Shortage } from '../../domain/stock';
import { rejectionReason } from './knex-event-recorder';

const shortage = (reason: Shortage['reason']): Shortage => ({ productId: 'p', unitLevelId: 'l', requested: 1, available: 0, reason });

test('the rejection names the first reason a cashier must fix before plain shortage', () => {
  assert.equal(rejectionReason([shortage('INSUFFICIENT_STOCK')]), 'insufficient-stock');
  assert.equal(rejectionReason([shortage('INSUFFICIENT_STOCK'), shortage('UNKNOWN_UNIT_LEVEL')]), 'unknown-unit-level');
  assert.equal(rejectionReason([]), 'no-lines');
});
