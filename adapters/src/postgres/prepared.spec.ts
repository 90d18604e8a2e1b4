import { expect, test } from '@jest/globals';
import { preparedName, rememberedTexts, statementName } from './prepared';

const preparable = (text: string, values: unknown[]) => preparedName(text, values) !== undefined;

test('a statement with parameters is prepared unless it selects or returns every column', () => {
  const cases: Array<[string, unknown[]]> = [
    ['select id, name from products where id = $1', [1]],
    ['select count(*) from products where category_id = $1', [1]],
    ['select * from products where id = $1', [1]],
    ['select p.*, s.quantity from products p join product_stock s using (id) where p.id = $1', [1]],
    ['insert into units (id, name) values ($1, $2) returning *', [1, 'a']],
  ];
  expect(cases.map(([text, values]) => preparable(text, values))).toEqual([true, true, false, false, false]);
});

test('a query without parameters is prepared too, and nothing else without them', () => {
  const cases = [
    'select id, name from products order by name limit 20',
    '  WITH t as (select 1 as one) select one from t',
    'select count(*) from products',
    'select * from products limit 20',
    'BEGIN;',
    'create index products_name_idx on products (name)',
    'update products set active = true',
    'selection_is_not_a_query',
  ];
  expect(cases.map((text) => preparable(text, []))).toEqual([true, true, true, false, false, false, false, false]);
});

test("a statement's name depends on its text alone and fits Postgres's 63-byte names", () => {
  const name = statementName('select id from products where id = $1');
  expect(name).toBe(statementName('select id from products where id = $1'));
  expect(name).not.toBe(statementName('select id from products where id = $2'));
  expect(name.length).toBeLessThanOrEqual(63);
});

test('a text is named by its own text, before and after the remembered ones run out', () => {
  const texts = Array.from({ length: rememberedTexts + 50 }, (_, i) => `select id from products where id = $${i + 1}`);
  for (const round of [1, 2]) {
    expect({ round, names: texts.map((text) => preparedName(text, [1])) }).toEqual({
      round,
      names: texts.map(statementName),
    });
  }
  expect(preparedName('select * from products where id = $1', [1])).toBeUndefined();
  expect(preparedName('select id from products', [])).toBe(statementName('select id from products'));
  expect(preparedName('update products set active = true', [])).toBeUndefined();
});
