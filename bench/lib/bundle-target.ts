// Bundles a bench entry the way `pnpm bench` bundles the benchmarks (esbuild, ESM, node20), for the tools that run
// the engine in processes of their own (count-instructions.ts and scavenges.ts: bench/lib/instruction-target.ts;
// ab.ts: bench/ab/entry.ts).
import { join } from 'node:path';
import { build } from 'esbuild';

/** Writes the bundle of `entry` (a path under the repo's root `root`) to `outfile`. */
export async function bundleBenchEntry(root: string, entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(root, 'tsconfig.json'),
    banner: { js: "import { createRequire as __qtCreateRequire } from 'node:module'; const require = __qtCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

/** Writes the bundle of bench/lib/instruction-target.ts (the engine variants) to `outfile`. */
export async function bundleInstructionTarget(root: string, outfile: string): Promise<void> {
  await bundleBenchEntry(root, 'bench/lib/instruction-target.ts', outfile);
}
