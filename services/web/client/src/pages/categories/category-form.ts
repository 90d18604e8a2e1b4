// The category form mirrors the products API: a name of at most 120 characters, an optional
// description of at most 2000 (line breaks allowed).
import { FormReader, type Parsed } from '../products/rules';

export interface CategoryBody {
  name: string;
  description: string | null;
}

export function parseCategory(v: { name: string; description: string }): Parsed<CategoryBody> {
  const form = new FormReader();
  const name = form.text('name', v.name, 120);
  const description = form.longText('description', v.description, 2000);
  return form.result(() => ({ name: name!, description: description ?? null }));
}
