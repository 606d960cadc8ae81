import { describe, expect, it } from 'vitest';
import { isLiveOrderStatus, type OrderStatus } from '../../src/model/orders.js';

describe('isLiveOrderStatus', () => {
  it('is true while an order may still be accepted, filled or canceled, and false once it is finished', () => {
    const all: OrderStatus[] = ['submitting', 'open', 'partially_filled', 'filled', 'canceled', 'rejected'];
    expect(all.filter(isLiveOrderStatus)).toEqual(['submitting', 'open', 'partially_filled']);
  });
});
