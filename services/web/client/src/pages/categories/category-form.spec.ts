import { describe, expect, it } from '@jest/globals';
import { parseCategory } from './category-form';

describe('the category form', () => {
  it('sends a trimmed name and no description when it is blank', () => {
    expect(parseCategory({ name: '  Drinks ', description: '  ' })).toEqual({
      ok: true,
      value: { name: 'Drinks', description: null },
    });
  });

  it('keeps line breaks in the description', () => {
    const result = parseCategory({ name: 'Drinks', description: 'Cold\nand hot' });
    expect(result.ok && result.value.description).toBe('Cold\nand hot');
  });

  it('refuses a blank or too long name and a too long description', () => {
    expect(parseCategory({ name: ' ', description: 'd'.repeat(2001) })).toEqual({
      ok: false,
      errors: { name: 'Must not be blank.', description: 'At most 2000 characters.' },
    });
    expect(parseCategory({ name: 'n'.repeat(121), description: '' })).toEqual({
      ok: false,
      errors: { name: 'At most 120 characters.' },
    });
  });
});
