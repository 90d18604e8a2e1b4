/** An error from the schema registry; `transient` says whether trying again later can help. */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The two calls the backbone makes to a Confluent-compatible registry, with their answers cached. */
export interface SchemaRegistryClient {
  /** The id of `schema` under `subject`; registers it when the subject does not hold it yet. */
  idOf(subject: string, schema: object): Promise<number>;
  /** The schema with id `id`; a RegistryError that is not transient when the registry has no such id. */
  schemaById(id: number): Promise<object>;
}

const contentType = 'application/vnd.schemaregistry.v1+json';

export function createRegistryClient(url: string, timeoutMs = 5000): SchemaRegistryClient {
  const ids = new Map<string, number>();
  const schemas = new Map<number, object>();

  async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, {
        ...init,
        headers: { accept: contentType, 'content-type': contentType },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new RegistryError(`schema registry at ${url} is unreachable: ${(error as Error).message}`, true);
    }
    const text = await response.text();
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = { message: text };
    }
    if (response.status >= 500 || response.status === 429) {
      throw new RegistryError(
        `schema registry ${path}: ${response.status} ${body?.message ?? ''}`,
        true,
        response.status,
      );
    }
    return { status: response.status, body };
  }

  return {
    async idOf(subject, schema) {
      const text = JSON.stringify(schema);
      const cacheKey = `${subject}\n${text}`;
      const cached = ids.get(cacheKey);
      if (cached !== undefined) return cached;
      const subjectPath = `/subjects/${encodeURIComponent(subject)}`;
      let answer = await call(subjectPath, { method: 'POST', body: JSON.stringify({ schema: text }) });
      if (answer.status === 404) {
        answer = await call(`${subjectPath}/versions`, { method: 'POST', body: JSON.stringify({ schema: text }) });
      }
      if (answer.status !== 200 || typeof answer.body?.id !== 'number') {
        throw new RegistryError(
          `schema registry refused ${subject}: ${answer.status} ${answer.body?.message ?? ''}`,
          false,
          answer.status,
        );
      }
      ids.set(cacheKey, answer.body.id);
      return answer.body.id;
    },

    async schemaById(id) {
      const cached = schemas.get(id);
      if (cached) return cached;
      const answer = await call(`/schemas/ids/${id}`);
      if (answer.status === 404) throw new RegistryError(`unknown schema id ${id}`, false, 404);
      if (answer.status !== 200 || typeof answer.body?.schema !== 'string') {
        throw new RegistryError(
          `schema registry /schemas/ids/${id}: ${answer.status} ${answer.body?.message ?? ''}`,
          false,
          answer.status,
        );
      }
      const schema = JSON.parse(answer.body.schema) as object;
      schemas.set(id, schema);
      return schema;
    },
  };
}
