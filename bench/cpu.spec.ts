import { describe, expect, test } from '@jest/globals';
import { perRequest } from './cpu';

const names: Record<number, string> = { 10: 'products', 11: 'products', 20: "products' Postgres", 30: 'Kafka' };
const nameOf = (pid: number) => names[pid];

describe('CPU per request by group of processes', () => {
  test("sums a group's processes over the run, per request, the largest first", () => {
    const before = new Map([
      [10, 5],
      [11, 1],
      [20, 2],
      [30, 40],
    ]);
    const after = new Map([
      [10, 6],
      [11, 1.5],
      [20, 3.2],
      [30, 40.4],
    ]);
    expect(perRequest(before, after, nameOf, 1000)).toEqual([
      { who: 'products', micros: 1500 },
      { who: "products' Postgres", micros: expect.closeTo(1200, 6) },
      { who: 'Kafka', micros: expect.closeTo(400, 6) },
    ]);
  });

  test('counts a process that started during the run from zero, and an unknown one as other', () => {
    const shares = perRequest(
      new Map([[10, 1]]),
      new Map([
        [10, 2],
        [30, 0.5],
        [99, 0.5],
      ]),
      nameOf,
      100,
    );
    expect(shares).toEqual([
      { who: 'products', micros: 10_000 },
      { who: 'Kafka', micros: 5000 },
      { who: 'other', micros: 5000 },
    ]);
  });

  test('folds groups under 2 % of the whole into other, and leaves out processes that spent nothing', () => {
    const shares = perRequest(
      new Map([
        [10, 0],
        [30, 0],
        [20, 5],
      ]),
      new Map([
        [10, 10],
        [30, 0.1],
        [20, 5],
      ]),
      nameOf,
      1,
    );
    expect(shares.map((share) => share.who)).toEqual(['products', 'other']);
    expect(shares[1]!.micros).toBeCloseTo(100_000, 0);
  });

  test('answers nothing for a run that answered no request', () => {
    expect(perRequest(new Map(), new Map([[10, 1]]), nameOf, 0)).toEqual([]);
  });
});
