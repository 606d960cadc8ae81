/**
 * What the HTML report is drawn from — the input of `@quantum-trader/report`'s `writeReport(input, path)` (the
 * report computes the drawdown from the equity curve itself).
 *
 * @internal
 */
export type { ReportInput } from '@quantum-trader/report';
