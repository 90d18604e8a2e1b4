import { describe, expect, it } from '@jest/globals';
import { explainConflict } from './conflicts';

describe('a refused request explained', () => {
  it("adds the way out to the server's words for a known code", () => {
    const explained = explainConflict('CATEGORY.IN_USE', 'Products still belong to this category.');
    expect(explained.detail).toBe('Products still belong to this category.');
    expect(explained.next).toMatch(/Move its products to another category/);
  });

  it("keeps the server's words alone for a code it does not know", () => {
    expect(explainConflict('SOMETHING.NEW', 'It clashes.')).toEqual({ detail: 'It clashes.' });
    expect(explainConflict(undefined, 'It clashes.')).toEqual({ detail: 'It clashes.' });
  });
});
