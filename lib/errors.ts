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

const LINEAGE = Symbol.for("breakfix.error.lineage");

/**
 * server.ts (loaded by tsx) and Next's route handlers are two module graphs in one process, each
 * with its own copy of this file, and shared singletons throw whichever copy built them. Plain
 * `instanceof` would then fail across the two copies, so each error records its class lineage
 * under a process-wide symbol (explicit ids, which survive minification) and `instanceof` checks it.
 */
export class BreakfixError extends Error {
  static readonly id: string = "BreakfixError";
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  constructor(code: ErrorCode, message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    const lineage: string[] = [];
    for (let c: unknown = new.target; typeof c === "function" && "id" in c; c = Object.getPrototypeOf(c)) {
      lineage.push(String((c as { id: unknown }).id));
    }
    this.name = lineage[0] ?? "BreakfixError";
    this.code = code;
    this.hint = opts.hint;
    Object.defineProperty(this, LINEAGE, { value: lineage });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!value || typeof value !== "object") return false;
    const lineage = (value as { [LINEAGE]?: unknown })[LINEAGE];
    return Array.isArray(lineage) && lineage.includes((this as unknown as { id: string }).id);
  }
}

/** Bad input from a request, frame, CLI flag or pack. */
export class InputError extends BreakfixError {
  static override readonly id: string = "InputError";
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super("INPUT", message, opts);
  }
}
export class UnauthorizedError extends BreakfixError {
  static override readonly id: string = "UnauthorizedError";
  constructor(message = "Sign in first.", opts: { hint?: string } = {}) {
    super("UNAUTHORIZED", message, opts);
  }
}
export class ForbiddenError extends BreakfixError {
  static override readonly id: string = "ForbiddenError";
  constructor(message = "You do not have access to this.", opts: { hint?: string } = {}) {
    super("FORBIDDEN", message, opts);
  }
}
export class NotFoundError extends BreakfixError {
  static override readonly id: string = "NotFoundError";
  constructor(message: string, opts: { hint?: string } = {}) {
    super("NOT_FOUND", message, opts);
  }
}
export class ConflictError extends BreakfixError {
  static override readonly id: string = "ConflictError";
  constructor(message: string, opts: { hint?: string } = {}) {
    super("CONFLICT", message, opts);
  }
}
/** A cap was reached (terminals, clusters, labs). */
export class LimitError extends BreakfixError {
  static override readonly id: string = "LimitError";
  constructor(message: string, opts: { hint?: string } = {}) {
    super("LIMIT", message, opts);
  }
}
/** A dependency (Docker, kind, bubblewrap, a cluster) cannot be used right now. */
export class UnavailableError extends BreakfixError {
  static override readonly id: string = "UnavailableError";
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super("UNAVAILABLE", message, opts);
  }
}
/** A bounded wait ran out; the message names what was waited for. */
export class TimeoutError extends BreakfixError {
  static override readonly id: string = "TimeoutError";
  constructor(message: string, opts: { hint?: string } = {}) {
    super("TIMEOUT", message, opts);
  }
}
/** A feature (for example a cluster driver) is not built yet. */
export class NotImplementedError extends BreakfixError {
  static override readonly id: string = "NotImplementedError";
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
