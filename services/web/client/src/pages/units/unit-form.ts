// The unit form mirrors the products API: a name of at most 60 characters and an abbreviation of
// at most 16 ("Piece", "pc").
import { FormReader, type Parsed } from '../products/rules';

export interface UnitBody {
  name: string;
  abbreviation: string;
}

export function parseUnit(v: UnitBody): Parsed<UnitBody> {
  const form = new FormReader();
  const name = form.text('name', v.name, 60);
  const abbreviation = form.text('abbreviation', v.abbreviation, 16);
  return form.result(() => ({ name: name!, abbreviation: abbreviation! }));
}
