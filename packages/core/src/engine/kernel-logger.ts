/**
 * The logging interface engines use: structured fields first, then a message — the shape of a pino logger, so
 * `pino()` can be passed as is. Engines never format timestamps from the wall clock; `ts` fields carry event time.
 *
 * @example
 * ```ts
 * const logger: KernelLogger = { debug() {}, info: (o, m) => console.log(m, o), warn: console.warn, error: console.error };
 * ```
 */
export interface KernelLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The services of the reference bot; each gets its own logger. */
export type ServiceName = 'signals' | 'risk' | 'execution' | 'exits' | 'portfolio' | 'clm' | 'kernel';

/**
 * A logger that drops everything (the default).
 *
 * @example
 * ```ts
 * const kernel = new TradingKernel({ …, logger: () => silentLogger });
 * ```
 */
export const silentLogger: KernelLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
