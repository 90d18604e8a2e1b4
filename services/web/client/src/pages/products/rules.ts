// Field rules that mirror the products service's zod schemas (services/products/src/adapters/
// http/schemas.ts), so a form says what is wrong before it sends anything. The server stays the
// authority: its per-field errors are shown the same way when it disagrees.

/** A form's problems by field name, the same keys the server's problem+json uses. */
export type FieldErrors = Record<string, string>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** The largest whole number the services accept (an Avro long a JavaScript encoder writes exactly). */
export const largestWhole = 9_007_199_254_740_990;
/** The largest unit level factor (base units in one unit). */
export const largestFactor = 1_000_000_000;

const control = /\p{Cc}/u;
const controlButLines = /[^\P{Cc}\t\n\r]/u;

/** Collects each field's first problem while a form is read. */
export class FormReader {
  readonly errors: FieldErrors = {};

  fail(field: string, message: string): undefined {
    this.errors[field] ??= message;
    return undefined;
  }

  /** Required one-line text: trimmed, not blank, at most `max` characters, no control characters. */
  text(field: string, raw: string, max: number): string | undefined {
    const value = raw.trim();
    if (value === '') return this.fail(field, 'Must not be blank.');
    if (value.length > max) return this.fail(field, `At most ${max} characters.`);
    if (control.test(value)) return this.fail(field, 'Control characters are not allowed.');
    return value;
  }

  /** Optional one-line text: blank means none (null). */
  optionalText(field: string, raw: string, max: number): string | null | undefined {
    return raw.trim() === '' ? null : this.text(field, raw, max);
  }

  /** Optional multi-line text: blank means none (null); line breaks and tabs are allowed. */
  longText(field: string, raw: string, max: number): string | null | undefined {
    if (raw.trim() === '') return null;
    if (raw.length > max) return this.fail(field, `At most ${max} characters.`);
    if (controlButLines.test(raw))
      return this.fail(field, 'Control characters other than line breaks are not allowed.');
    return raw;
  }

  /** A whole number in [min, max], typed in a text or number input. */
  whole(field: string, raw: string, min: number, max: number): number | undefined {
    const value = raw.trim();
    if (value === '') return this.fail(field, 'Required.');
    if (!/^[-+]?\d+$/.test(value)) return this.fail(field, 'Must be a whole number.');
    const n = Number(value);
    if (n < min) return this.fail(field, `Must be ${min} or more.`);
    if (n > max) return this.fail(field, `Must be at most ${max}.`);
    return n;
  }

  /** One of the options of a select; '' is nothing chosen. */
  choice(field: string, raw: string, message = 'Choose one.'): string | undefined {
    return raw === '' ? this.fail(field, message) : raw;
  }

  /** The result: the value when no field failed. */
  result<T>(build: () => T): Parsed<T> {
    return Object.keys(this.errors).length === 0 ? { ok: true, value: build() } : { ok: false, errors: this.errors };
  }
}
