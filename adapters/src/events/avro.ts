import avro from 'avsc';

const types = new WeakMap<object, avro.Type>();

/** The avsc type of a schema object, parsed once per object. */
export function avroType(schema: object): avro.Type {
  let type = types.get(schema);
  if (!type) {
    type = avro.Type.forSchema(schema as avro.Schema);
    types.set(schema, type);
  }
  return type;
}

/** Every way `value` fails `type`, as "path: expected T, got V" lines; empty when it is valid. */
export function avroProblems(type: avro.Type, value: unknown): string[] {
  const problems: string[] = [];
  type.isValid(value, {
    errorHook(path, got, expected) {
      const field = path.length > 0 ? path.join('.') : '(record)';
      problems.push(`${field}: expected ${describe(expected)}, got ${JSON.stringify(got) ?? 'undefined'}`);
    },
  });
  return problems;
}

function describe(type: avro.Type): string {
  const schema = type.schema() as unknown;
  if (typeof schema === 'string') return schema;
  if (Array.isArray(schema)) return `one of ${JSON.stringify(schema)}`;
  const named = schema as { type?: unknown; name?: unknown };
  return String(named.name ?? named.type ?? JSON.stringify(schema));
}
