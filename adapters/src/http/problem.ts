/** One invalid input field, as RFC 9457 problem details carry it under `errors`. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * An error with a stable machine-readable `code` that the app factory turns into an
 * RFC 9457 problem+json response. Anything thrown that is not a ProblemError becomes a 500
 * whose details are logged, never sent.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ProblemError';
  }
}

export const badRequest = (code: string, message: string, errors?: FieldError[]) =>
  new ProblemError(400, code, message, errors);
export const forbidden = (message = 'You are not allowed to do this.') =>
  new ProblemError(403, 'AUTH.FORBIDDEN', message);

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
}

export function problemBody(error: ProblemError, instance?: string, requestId?: string): ProblemBody {
  return {
    type: `https://tulity.retail/problems/${error.code.toLowerCase().replaceAll('.', '/')}`,
    title: titles[error.status] ?? 'Error',
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...(requestId ? { requestId } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
  };
}
