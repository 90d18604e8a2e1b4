import { describe, expect, it } from '@jest/globals';
import { parseUnit } from './unit-form';

describe('the unit form', () => {
  it('sends a trimmed name and abbreviation', () => {
    expect(parseUnit({ name: ' Box ', abbreviation: 'box ' })).toEqual({
      ok: true,
      value: { name: 'Box', abbreviation: 'box' },
    });
  });

  it('needs both, within 60 and 16 characters, on one line', () => {
    expect(parseUnit({ name: '', abbreviation: 'a'.repeat(17) })).toEqual({
      ok: false,
      errors: { name: 'Must not be blank.', abbreviation: 'At most 16 characters.' },
    });
    expect(parseUnit({ name: 'Box\u0000', abbreviation: 'bx' })).toEqual({
      ok: false,
      errors: { name: 'Control characters are not allowed.' },
    });
  });
});
