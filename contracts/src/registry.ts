// Registration of the contracts with a Confluent-compatible schema registry (Apicurio's ccompat
// API, locally and in docker-compose; see schema-registry/).
import type { CompatibilityLevel } from './catalogue';
import { pairsFor, readIssues } from './compatibility';

export const defaultRegistryUrl = 'http://127.0.0.1:8081/apis/ccompat/v7';

export interface SubjectToRegister {
  readonly subject: string;
  readonly compatibility: CompatibilityLevel;
  /** Version 1 first. */
  readonly history: readonly object[];
}

export interface RegistrationResult {
  readonly subject: string;
  /** Registry ids of the kept versions, in order. */
  readonly ids: readonly number[];
  /** How many kept versions the registry did not have yet. */
  readonly added: number;
}

/** The registry refused a schema; the message names subject, version and fields. */
export class RegistrationError extends Error {
  constructor(
    readonly subject: string,
    readonly version: number,
    readonly registryMessage: string,
    readonly fields: readonly string[],
  ) {
    super(
      `${subject} v${version} rejected by the schema registry: ${registryMessage}${fields.length > 0 ? `; field(s): ${fields.join(', ')}` : ''}`,
    );
    this.name = 'RegistrationError';
  }
}

const contentType = 'application/vnd.schemaregistry.v1+json';

async function call(url: string, method: string, body?: unknown): Promise<{ status: number; json: any }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { 'content-type': contentType, accept: contentType },
      signal: AbortSignal.timeout(10_000),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    // fetch puts the socket's error (ECONNREFUSED…) in `cause`; not `instanceof Error`, which fails across realms.
    const { cause, message } = error as { cause?: { message?: string }; message: string };
    throw new Error(`schema registry unreachable (${method} ${url}): ${cause?.message ?? message}`);
  }
  const text = await response.text();
  let json: any = text;
  try {
    json = JSON.parse(text);
  } catch {
    // Some errors come back as plain text; keep it as the message.
  }
  return { status: response.status, json };
}

const subjectUrl = (registryUrl: string, subject: string) => `${registryUrl}/subjects/${encodeURIComponent(subject)}`;

/** The field path a JSON pointer into `schema` leads to, e.g. `lines[].quantity`; undefined when it does not fit. */
function pathAt(schema: object, pointer: string): string | undefined {
  let node: any = schema;
  let path = '';
  let previous = '';
  for (const step of pointer.split('/').slice(1)) {
    node = Array.isArray(node) ? node[Number(step)] : node?.[step];
    if (node === undefined) return undefined;
    if (previous === 'fields' && typeof node.name === 'string') path = path === '' ? node.name : `${path}.${node.name}`;
    else if (step === 'items') path = `${path}[]`;
    else if (step === 'values') path = `${path}{}`;
    previous = step;
  }
  return path;
}

/**
 * The fields named by a registry's reason. Apicurio lists its diffs as "<field> at <pointer>"
 * for a field one side lacks, and "reader type: X not compatible with writer type: Y at
 * <pointer>" for a changed type; the pointer may point into either schema, so a named field is
 * taken as named and only its parents are read from the pointer.
 */
export function fieldsInReason(reason: string, schema: object): string[] {
  const fields = new Set<string>();
  for (const [, subject, pointer] of reason.matchAll(/([^\s,[\]]+) at ((?:\/[A-Za-z0-9_]+)+)/g)) {
    const steps = pointer!.split('/');
    const namesField = /^[A-Za-z_][A-Za-z0-9_]*$/.test(subject!) && steps.at(-2) === 'fields';
    const path = namesField
      ? [pathAt(schema, steps.slice(0, -2).join('/')), subject]
          .filter((part) => part !== undefined && part !== '')
          .join('.')
      : pathAt(schema, pointer!);
    if (path) fields.add(path);
  }
  return [...fields];
}

async function registerVersion(registryUrl: string, entry: SubjectToRegister, index: number): Promise<number> {
  const { subject, history } = entry;
  const schema = history[index]!;
  const { status, json } = await call(`${subjectUrl(registryUrl, subject)}/versions`, 'POST', {
    schema: JSON.stringify(schema),
  });
  if (status === 200 && typeof json?.id === 'number') return json.id;
  const reason = typeof json === 'string' ? json : String(json?.message ?? JSON.stringify(json));
  if (status !== 409 && status !== 422)
    throw new Error(`${subject} v${index + 1}: schema registry answered ${status}: ${reason}`);
  // The offline walk under the same level names the fields reliably; the registry's pointers
  // are the fallback when it judged against versions this tree does not keep.
  const offline = pairsFor(entry.compatibility, index + 1)
    .flatMap((pair) => readIssues(history[pair.reader - 1]!, history[pair.writer - 1]!))
    .map((issue) => issue.field)
    .filter((field) => field !== '');
  const fields = [...new Set(offline.length > 0 ? offline : fieldsInReason(reason, schema))];
  throw new RegistrationError(subject, index + 1, reason, fields);
}

/**
 * Sets the subject's compatibility level, then registers every kept version in order.
 * Registering a schema the subject already has returns its id without adding a version, so
 * running this again changes nothing.
 */
export async function registerSubject(registryUrl: string, entry: SubjectToRegister): Promise<RegistrationResult> {
  const config = await call(`${registryUrl}/config/${encodeURIComponent(entry.subject)}`, 'PUT', {
    compatibility: entry.compatibility,
  });
  if (config.status !== 200)
    throw new Error(
      `${entry.subject}: setting compatibility ${entry.compatibility} failed (${config.status}): ${JSON.stringify(config.json)}`,
    );
  const before = await registeredVersions(registryUrl, entry.subject);
  const ids: number[] = [];
  for (let index = 0; index < entry.history.length; index++) {
    ids.push(await registerVersion(registryUrl, entry, index));
  }
  const after = await registeredVersions(registryUrl, entry.subject);
  return { subject: entry.subject, ids, added: after.length - before.length };
}

/** Throws, naming the URL, when the registry does not answer. */
export async function assertReachable(registryUrl: string): Promise<void> {
  const { status, json } = await call(`${registryUrl}/config`, 'GET');
  if (status !== 200)
    throw new Error(`schema registry at ${registryUrl} answered ${status} to GET /config: ${JSON.stringify(json)}`);
}

/** Version numbers the registry holds for a subject; empty when it does not know the subject. */
export async function registeredVersions(registryUrl: string, subject: string): Promise<number[]> {
  const { status, json } = await call(`${subjectUrl(registryUrl, subject)}/versions`, 'GET');
  if (status === 404) return [];
  if (status !== 200 || !Array.isArray(json))
    throw new Error(`${subject}: listing versions failed (${status}): ${JSON.stringify(json)}`);
  return json as number[];
}

/** The compatibility level the registry applies to a subject (its own or the global one). */
export async function compatibilityOf(registryUrl: string, subject: string): Promise<string> {
  const { status, json } = await call(`${registryUrl}/config/${encodeURIComponent(subject)}`, 'GET');
  if (status !== 200) throw new Error(`${subject}: reading compatibility failed (${status}): ${JSON.stringify(json)}`);
  return json.compatibilityLevel ?? json.compatibility;
}

/** Asks the registry whether a schema could be registered next, without registering it. */
export async function isCompatible(registryUrl: string, subject: string, schema: object): Promise<boolean> {
  const { status, json } = await call(
    `${registryUrl}/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`,
    'POST',
    { schema: JSON.stringify(schema) },
  );
  if (status !== 200) throw new Error(`${subject}: compatibility check failed (${status}): ${JSON.stringify(json)}`);
  return json.is_compatible === true;
}

/** Removes a subject for good; only for throwaway subjects made by tests. */
export async function deleteSubject(registryUrl: string, subject: string): Promise<void> {
  await call(subjectUrl(registryUrl, subject), 'DELETE');
  await call(`${subjectUrl(registryUrl, subject)}?permanent=true`, 'DELETE');
}
