// Bundles bench/lib/instruction-target.ts the way `pnpm bench` bundles the benchmarks (esbuild, ESM, node20), for
// the tools that run the engine variants in processes of their own (count-instructions.ts, scavenges.ts).
import { join } from 'node:path';
import { build } from 'esbuild';

/** Writes the bundle of bench/lib/instruction-target.ts to `outfile`; `root` is the repo's root. */
export async function bundleInstructionTarget(root: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [join(root, 'bench/lib/instruction-target.ts')],
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
