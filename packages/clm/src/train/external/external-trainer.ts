import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QuantumTraderError } from '@quantum-trader/core';
import { datasetToCsv, encodeDataset } from '../../dataset/dataset-file.js';
import { parseModelManifest, type ModelManifest } from '../../onnx/model-manifest.js';
import type { Trainer } from '../trainer.js';

/**
 * Options of {@link externalTrainer}.
 *
 * @example
 * ```ts
 * const options: ExternalTrainerOptions = { name: 'lightgbm', command: 'python3', args: ['train_lgbm.py', '{csv}', '{output}'] };
 * ```
 */
export interface ExternalTrainerOptions {
  /** Recorded in the registry as the model's trainer (default `external`). */
  readonly name?: string;
  /** The program to run (no shell). */
  readonly command: string;
  /**
   * Its arguments; `{dataset}` (the `.qtds` file), `{csv}` (the same rows as CSV), `{output}` (where to write the
   * ONNX model) and `{features}` (comma-separated feature names) are replaced.
   */
  readonly args?: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Killed after this long (default 30 minutes). */
  readonly timeoutMs?: number;
}

/**
 * The external-trainer plug-in: runs a user command (LightGBM, XGBoost, PyTorch … anywhere) with the training
 * rows on disk and expects an ONNX model back. The rows are written as `train.qtds` and `train.csv`; the model must
 * be written to the output path. The command may also write `<output>.manifest.json` (a {@link ModelManifest}) to
 * name its input/output tensors; by default the model's only input takes the dataset's features in order.
 * The paths are also in the environment: `QT_DATASET`, `QT_DATASET_CSV`, `QT_OUTPUT`, `QT_FEATURES` (JSON).
 *
 * @example
 * ```ts
 * const trainer = externalTrainer({ command: 'python3', args: ['train.py', '{csv}', '{output}'] });
 * const clm = new ContinuousLearning({ …, trainer });
 * ```
 */
export function externalTrainer(options: ExternalTrainerOptions): Trainer {
  const name = options.name ?? 'external';
  return {
    name,
    async train({ train, workDir }) {
      const dataset = join(workDir, 'train.qtds');
      const csv = join(workDir, 'train.csv');
      const output = join(workDir, 'model.onnx');
      await writeFile(dataset, encodeDataset(train, 0));
      await writeFile(csv, datasetToCsv(train));
      const subst = (a: string) =>
        a
          .replaceAll('{dataset}', dataset)
          .replaceAll('{csv}', csv)
          .replaceAll('{output}', output)
          .replaceAll('{features}', train.spec.names.join(','));
      const args = (options.args ?? ['{dataset}', '{output}']).map(subst);
      await run(options.command, args, {
        cwd: options.cwd ?? workDir,
        env: {
          ...process.env,
          ...options.env,
          QT_DATASET: dataset,
          QT_DATASET_CSV: csv,
          QT_OUTPUT: output,
          QT_FEATURES: JSON.stringify(train.spec.names),
        },
        timeoutMs: options.timeoutMs ?? 30 * 60_000,
      });
      let onnx: Uint8Array;
      try {
        onnx = await readFile(output);
      } catch (err) {
        throw new QuantumTraderError(
          'DATA_FILE_MISSING',
          `external trainer "${options.command}" finished but wrote no model at ${output}; it must write its ONNX file to {output}`,
          { cause: err },
        );
      }
      let manifest: ModelManifest = { features: train.spec.names, timeframe: train.spec.timeframe };
      const manifestPath = `${output}.manifest.json`;
      const text = await readFile(manifestPath, 'utf8').catch(() => undefined);
      if (text !== undefined) manifest = parseModelManifest(JSON.parse(text) as unknown, manifestPath);
      return { onnx, manifest, trainer: name, params: { command: options.command, args: options.args ?? [] } };
    },
  };
}

function run(
  command: string,
  args: readonly string[],
  o: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'ignore', 'pipe'], timeout: o.timeoutMs });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr = (stderr + d).slice(-2000);
    });
    child.on('error', (err) =>
      reject(new QuantumTraderError('CONFIG_INVALID', `external trainer: cannot run "${command}" (${err.message}); check the command`, { cause: err })),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const why = signal !== null ? `was killed (${signal}${signal === 'SIGTERM' ? ', timed out?' : ''})` : `exited with code ${code}`;
      reject(
        new QuantumTraderError(
          'CONFIG_INVALID',
          `external trainer "${command} ${args.join(' ')}" ${why}${stderr.trim() ? `: ${stderr.trim()}` : ''}`,
        ),
      );
    });
  });
}
