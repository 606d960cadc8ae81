// Curated exports of the journal folder; packages/core/src/index.ts re-exports these.

export { MemoryJournal } from './memory/memory-journal.js';
export { projectEvent } from './project-event.js';
export { journalEventError, missingRowError, conflictingRowError } from './journal-error.js';
export type {
  OrderRecord,
  ProjectionRecords,
  ProjectionTable,
  PatchableTable,
  NumericField,
  ProjectionInsert,
  ProjectionPatch,
  ProjectionWrite,
} from './projection-write.js';
export { PROJECTION_KEYS, orderRowOf } from './projection-write.js';
