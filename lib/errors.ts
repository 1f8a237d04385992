/**
 * The one error catalogue for every boundary (HTTP, WebSocket, CLI, scenario packs).
 * Each error says what happened; `hint` says what to do. `toHttp` is the only place
 * that maps them to status codes.
 */
export type ErrorCode =
  | "INPUT"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "LIMIT"
  | "UNAVAILABLE"
  | "TIMEOUT"
  | "NOT_IMPLEMENTED";

export class BreakfixError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  constructor(code: ErrorCode, message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = opts.hint;
  }
}

/** Bad input from a request, frame, CLI flag or pack. */
export class InputError extends BreakfixError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super("INPUT", message, opts);
  }
}
export class UnauthorizedError extends BreakfixError {
  constructor(message = "Sign in first.", opts: { hint?: string } = {}) {
    super("UNAUTHORIZED", message, opts);
  }
}
export class ForbiddenError extends BreakfixError {
  constructor(message = "You do not have access to this.", opts: { hint?: string } = {}) {
    super("FORBIDDEN", message, opts);
  }
}
export class NotFoundError extends BreakfixError {
  constructor(message: string, opts: { hint?: string } = {}) {
    super("NOT_FOUND", message, opts);
  }
}
export class ConflictError extends BreakfixError {
  constructor(message: string, opts: { hint?: string } = {}) {
    super("CONFLICT", message, opts);
  }
}
/** A cap was reached (terminals, clusters, labs). */
export class LimitError extends BreakfixError {
  constructor(message: string, opts: { hint?: string } = {}) {
    super("LIMIT", message, opts);
  }
}
/** A dependency (Docker, kind, bubblewrap, a cluster) cannot be used right now. */
export class UnavailableError extends BreakfixError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super("UNAVAILABLE", message, opts);
  }
}
/** A bounded wait ran out; the message names what was waited for. */
export class TimeoutError extends BreakfixError {
  constructor(message: string, opts: { hint?: string } = {}) {
    super("TIMEOUT", message, opts);
  }
}
/** A feature (for example a cluster driver) is not built yet. */
export class NotImplementedError extends BreakfixError {
  constructor(message: string, opts: { hint?: string } = {}) {
    super("NOT_IMPLEMENTED", message, opts);
  }
}

const STATUS: Record<ErrorCode, number> = {
  INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LIMIT: 429,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
  NOT_IMPLEMENTED: 501,
};

export interface HttpErrorBody {
  error: { code: ErrorCode | "INTERNAL"; message: string; hint?: string };
}

/** Maps any thrown value to an HTTP status and a body that is safe to show. */
export function toHttp(err: unknown): { status: number; body: HttpErrorBody } {
  if (err instanceof BreakfixError) {
    const body: HttpErrorBody = { error: { code: err.code, message: err.message } };
    if (err.hint) body.error.hint = err.hint;
    return { status: STATUS[err.code], body };
  }
  return {
    status: 500,
    body: { error: { code: "INTERNAL", message: "Something went wrong on the server. It has been logged." } },
  };
}
