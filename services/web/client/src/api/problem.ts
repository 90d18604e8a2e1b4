/** One field's complaint, as the services' problem+json carries it under `errors`. */
interface ProblemField {
  field: string;
  message: string;
}

interface ProblemBody {
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  errors?: ProblemField[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** What the people using the app read when a status comes without a usable detail. */
const fallbackDetail: Record<number, string> = {
  0: 'The server cannot be reached. Check the connection and try again.',
  401: 'Your session has ended. Please sign in again.',
  403: 'You are not allowed to do this.',
  404: 'This was not found; it may have been deleted.',
  409: 'This conflicts with the current state; reload and try again.',
  413: 'What you sent is too large.',
  429: 'Too many attempts. Wait a moment and try again.',
  502: 'A service did not answer properly. Try again in a moment.',
  503: 'A service is not available right now. Try again in a moment.',
  504: 'A service took too long to answer. Try again in a moment.',
};

/** A failed API call: the service's RFC 9457 problem, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  /** The server's complaints keyed by the field path it names (`name`, `levels.0.factor`). */
  readonly fieldErrors: Record<string, string>;

  constructor(status: number, body: unknown) {
    const problem: ProblemBody = isObject(body) ? (body as ProblemBody) : {};
    const detail =
      (typeof problem.detail === 'string' && problem.detail) ||
      fallbackDetail[status] ||
      (status >= 500 ? 'Something went wrong on the server. Try again in a moment.' : 'The request was refused.');
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code =
      typeof problem.code === 'string' ? problem.code : status === 0 ? 'NETWORK.UNAVAILABLE' : `HTTP.${status}`;
    this.title = typeof problem.title === 'string' ? problem.title : 'Error';
    this.detail = detail;
    this.fieldErrors = {};
    for (const entry of Array.isArray(problem.errors) ? problem.errors : []) {
      if (isObject(entry) && typeof entry.field === 'string' && typeof entry.message === 'string') {
        this.fieldErrors[entry.field] ??= entry.message;
      }
    }
  }

  /** The error for a response whose body may be problem+json, JSON, or anything else. */
  static async fromResponse(response: Response): Promise<ApiError> {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    return new ApiError(response.status, body);
  }

  static network(): ApiError {
    return new ApiError(0, undefined);
  }
}
