// Runner configuration: schema with defaults, loading and error formatting.
export {
  runnerConfigSchema,
  defaultConfig,
  DEFAULT_SYMBOLS,
  type RunnerConfig,
  type RunnerConfigInput,
} from './runner-config-schema.js';
export { loadConfig, type LoadConfigOptions } from './load-config.js';
export { formatConfigIssues, formatPath } from './format-config-issues.js';
export { isoDateToMillis } from './iso-date.js';
