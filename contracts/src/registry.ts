// Registration of the contracts with a Confluent-compatible schema registry (Apicurio's ccompat
// API locally, Confluent's own in docker-compose).
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
    super(`${subject} v${version} rejected by the schema registry: ${registryMessage}${fields.length > 0 ? `; field(s): ${fields.join(', ')}` : ''}`);
    this.name = 'RegistrationError';
  }
}

const contentType = 'application/vnd.schemaregistry.v1+json';

async function call(url: string, method: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': contentType, accept: contentType },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
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

/**
 * Resolves the JSON pointers the registry puts in its reasons (Apicurio says
 * "... at /fields/6/type/items/fields/2/type") into field paths such as `lines[].quantity`.
 */
export function fieldsInReason(reason: string, schema: object): string[] {
  const fields = new Set<string>();
  for (const [pointer] of reason.matchAll(/(?:\/[A-Za-z0-9_]+)+/g)) {
    let node: any = schema;
    let path = '';
    let previous = '';
    for (const step of pointer.split('/').slice(1)) {
      node = Array.isArray(node) ? node[Number(step)] : node?.[step];
      if (node === undefined) break;
      if (previous === 'fields' && typeof node.name === 'string') path = path === '' ? node.name : `${path}.${node.name}`;
      else if (step === 'items') path = `${path}[]`;
      else if (step === 'values') path = `${path}{}`;
      previous = step;
    }
    if (node !== undefined && path !== '') fields.add(path);
  }
  return [...fields];
}

async function registerVersion(registryUrl: string, entry: SubjectToRegister, index: number): Promise<number> {
  const { subject, history } = entry;
  const schema = history[index]!;
  const { status, json } = await call(`${subjectUrl(registryUrl, subject)}/versions`, 'POST', { schema: JSON.stringify(schema) });
  if (status === 200 && typeof json?.id === 'number') return json.id;
  const reason = typeof json === 'string' ? json : String(json?.message ?? JSON.stringify(json));
  if (status !== 409 && status !== 422) throw new Error(`${subject} v${index + 1}: schema registry answered ${status}: ${reason}`);
  // The registry's reason points into the schema; the offline walk against the kept earlier
  // versions names the fields in words when the pointer alone does not.
  const offline = pairsFor(entry.compatibility, index + 1)
    .flatMap((pair) => readIssues(history[pair.reader - 1]!, history[pair.writer - 1]!));
  const fields = [...new Set([...fieldsInReason(reason, schema), ...offline.map((issue) => issue.field).filter((f) => f !== '')])];
  throw new RegistrationError(subject, index + 1, reason, fields);
}

/**
 * Sets the subject's compatibility level, then registers every kept version in order.
 * Registering a schema the subject already has returns its id without adding a version, so
 * running this again changes nothing.
 */
export async function registerSubject(registryUrl: string, entry: SubjectToRegister): Promise<RegistrationResult> {
  const config = await call(`${registryUrl}/config/${encodeURIComponent(entry.subject)}`, 'PUT', { compatibility: entry.compatibility });
  if (config.status !== 200) throw new Error(`${entry.subject}: setting compatibility ${entry.compatibility} failed (${config.status}): ${JSON.stringify(config.json)}`);
  const before = await registeredVersions(registryUrl, entry.subject);
  const ids: number[] = [];
  for (let index = 0; index < entry.history.length; index++) {
    ids.push(await registerVersion(registryUrl, entry, index));
  }
  const after = await registeredVersions(registryUrl, entry.subject);
  return { subject: entry.subject, ids, added: after.length - before.length };
}

/** Version numbers the registry holds for a subject; empty when it does not know the subject. */
export async function registeredVersions(registryUrl: string, subject: string): Promise<number[]> {
  const { status, json } = await call(`${subjectUrl(registryUrl, subject)}/versions`, 'GET');
  if (status === 404) return [];
  if (status !== 200 || !Array.isArray(json)) throw new Error(`${subject}: listing versions failed (${status}): ${JSON.stringify(json)}`);
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
  const { status, json } = await call(`${registryUrl}/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`, 'POST', { schema: JSON.stringify(schema) });
  if (status !== 200) throw new Error(`${subject}: compatibility check failed (${status}): ${JSON.stringify(json)}`);
  return json.is_compatible === true;
}

/** Removes a subject for good; only for throwaway subjects made by tests. */
export async function deleteSubject(registryUrl: string, subject: string): Promise<void> {
  await call(subjectUrl(registryUrl, subject), 'DELETE');
  await call(`${subjectUrl(registryUrl, subject)}?permanent=true`, 'DELETE');
}
