import { describe, expect, it } from '@jest/globals';
import { inLevels, levelName, movementLink, signed } from './stock-display';

const piece = { factor: 1, unitAbbreviation: 'pc' };
const box = { factor: 12, unitAbbreviation: 'box' };
const pallet = { factor: 480, unitAbbreviation: 'pal' };

describe('stock in unit levels', () => {
  it('counts whole boxes first and the rest in pieces', () => {
    expect(inLevels(29, [piece, box])).toBe('2 box + 5 pc');
    expect(inLevels(24, [box, piece])).toBe('2 box');
    expect(inLevels(7, [piece, box])).toBe('7 pc');
    expect(inLevels(505, [piece, pallet, box])).toBe('1 pal + 2 box + 1 pc');
  });

  it('shows an empty stock in the base unit', () => {
    expect(inLevels(0, [box, piece])).toBe('0 pc');
  });

  it('signs ledger changes', () => {
    expect(signed(12)).toBe('+12');
    expect(signed(-3)).toBe('−3');
  });
});

describe('ledger and level labels', () => {
  const id = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

  it('links a line to the purchase or sale that caused it', () => {
    expect(movementLink('purchase', id)).toBe(`/purchases/${id}`);
    expect(movementLink('sale_reservation', id)).toBe(`/sales/${id}`);
    expect(movementLink('sale_return', id)).toBe(`/sales/${id}`);
    expect(movementLink('manual_adjustment', null)).toBeUndefined();
    expect(movementLink('purchase', 'not-an-id')).toBeUndefined();
  });

  it('names a level by its size in base units', () => {
    expect(levelName({ unitName: 'Box', factor: 12, isBase: false }, 'pc')).toBe('Box (12 pc)');
    expect(levelName({ unitName: 'Piece', factor: 1, isBase: true }, 'pc')).toBe('Piece (base unit)');
  });
});
