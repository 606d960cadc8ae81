import type { KernelLogger } from '@quantum-trader/core';
import { breakEvenThreshold, decidePromotion, evaluateOnHoldout, type GateOptions } from '../gate/promotion-gate.js';
import type { ValidationMetrics } from '../registry/model-metadata.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import { ScoringModel } from '../serving/scoring-model.js';
import type { TrainedModel } from '../train/trainer.js';
import { message, type ChampionServer } from './champion-server.js';
import type { RetrainResult } from './continuous-learning-options.js';
import { holdoutFor, type RunData } from './run-data.js';

/** Largest difference between a trainer's own probabilities and ONNX Runtime's that the CLM accepts. */
const PARITY_TOLERANCE = 1e-4;

/** @internal */
export interface JudgeContext {
  readonly registry: ModelRegistry;
  readonly server: ChampionServer;
  readonly log: KernelLogger;
  readonly gate: GateOptions;
  readonly threshold: number | 'break-even';
}

/** @internal */
export type JudgeOutcome = Omit<RetrainResult, 'trigger' | 'startedAt' | 'champion'>;

/**
 * Puts a trained model through the gate: loads it into ONNX Runtime (refusing a model that does not load or whose
 * inputs do not match), checks the export against the trainer, scores it and the champion on the same holdout,
 * stores it in the registry, and promotes or rejects it with the reason. Logs the `[CLM] retraining completed` line.
 *
 * @internal
 */
export async function judgeCandidate(trained: TrainedModel, data: RunData, datasetId: string, ctx: JudgeContext): Promise<JudgeOutcome> {
  const { now, split } = data;
  const notional = ctx.gate.notional ?? 1000;
  const threshold = typeof ctx.threshold === 'number' ? ctx.threshold : breakEvenThreshold(split.train);
  const { train, holdout } = split;
  const base = {
    createdAt: now,
    trainer: trained.trainer,
    params: trained.params,
    manifest: trained.manifest,
    threshold,
    data: {
      dataset: datasetId,
      labelSource: data.source,
      trainRows: train.rows,
      trainFrom: train.ts[0] ?? Number.NaN,
      trainTo: train.ts[train.rows - 1] ?? Number.NaN,
      holdoutRows: holdout.rows,
      holdoutFrom: holdout.ts[0] ?? Number.NaN,
      holdoutTo: holdout.ts[holdout.rows - 1] ?? Number.NaN,
    },
    ...(trained.details !== undefined ? { details: trained.details } : {}),
  };
  let candidate: ScoringModel;
  try {
    ctx.server.checkTimeframe(trained.manifest, `${trained.trainer} candidate`);
    candidate = ScoringModel.load(trained.onnx, trained.manifest, `${trained.trainer} candidate`);
  } catch (err) {
    const reason = `refused at load time: ${message(err)}`;
    const meta = await ctx.registry.add({ ...base, status: 'rejected', reason }, trained.onnx);
    ctx.log.error({ ts: now, version: meta.version }, `[CLM] retraining completed: version=${meta.version} promoted=false (${reason})`);
    return { status: 'completed', version: meta.version, promoted: false, reason, dataset: datasetId };
  }
  let metrics: ValidationMetrics;
  let refusal: string | undefined;
  try {
    const rows = holdoutFor(data, candidate.spec);
    const p = candidate.predict(rows.features, rows.rows);
    metrics = evaluateOnHoldout(p, threshold, rows, notional);
    if (trained.predict !== undefined) {
      const own = trained.predict(rows.features, rows.rows);
      let worst = 0;
      for (let r = 0; r < rows.rows; r++) worst = Math.max(worst, Math.abs(own[r]! - p[r]!));
      if (!(worst <= PARITY_TOLERANCE)) refusal = `ONNX Runtime's probabilities differ from the trainer's by ${worst.toExponential(2)}`;
    }
  } finally {
    candidate.dispose();
  }
  const championVersion = ctx.registry.champion;
  let compared: { version: string; metrics: ValidationMetrics } | undefined;
  if (championVersion !== undefined) {
    try {
      const champ = await ctx.server.member(championVersion);
      const rows = holdoutFor(data, champ.model.spec);
      const p = champ.model.predict(rows.features, rows.rows);
      compared = { version: championVersion, metrics: evaluateOnHoldout(p, champ.threshold, rows, notional) };
    } catch (err) {
      ctx.log.error({ ts: now, err }, `[CLM] champion ${championVersion} cannot be evaluated (${message(err)}); the candidate is compared with momentum alone`);
    }
  }
  const decision =
    refusal !== undefined ? { promote: false, summary: 'export mismatch', reason: refusal } : decidePromotion(metrics, compared, ctx.gate);
  const meta = await ctx.registry.add({ ...base, metrics, ...(compared !== undefined ? { comparedWith: compared } : {}) }, trained.onnx);
  let promoted = false;
  let summary = decision.summary;
  let reason = decision.reason;
  if (decision.promote) {
    const failure = await ctx.server.promote(meta.version, decision.reason, now, metrics);
    promoted = failure === undefined;
    if (failure !== undefined) {
      summary = 'could not be deployed';
      reason = failure;
    }
  } else {
    await ctx.registry.reject(meta.version, decision.reason, now);
  }
  ctx.log.info(
    { ts: now, version: meta.version, promoted, reason, dataset: datasetId, pnl: metrics.pnl, baselinePnl: metrics.baselinePnl },
    `[CLM] retraining completed: version=${meta.version} accuracy=${metrics.accuracy.toFixed(2)} auc=${metrics.auc.toFixed(2)} promoted=${promoted} (${summary})`,
  );
  return { status: 'completed', version: meta.version, promoted, reason, metrics, dataset: datasetId };
}
