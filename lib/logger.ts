import pino from "pino";

/**
 * The one logger. JSON lines on stdout in production; LOG_LEVEL sets the level.
 * Read straight from process.env (not lib/config) so that config errors can be logged too.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = pino.Logger;
