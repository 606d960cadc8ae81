import { trainGbdt } from './src/index.js';
const N = 100_000, F = 20;
const x = new Float32Array(N * F); const y = new Uint8Array(N);
let s = 1; const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
for (let r = 0; r < N; r++) { let z = 0; for (let j = 0; j < F; j++) { const v = rnd() * 2 - 1; x[r * F + j] = v; if (j < 5) z += v; } y[r] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0; }
const names = Array.from({ length: F }, (_, j) => `ret_${j + 1}`);
let t = performance.now();
trainGbdt(x, y, N, names, { trees: 100 });
console.log('train', performance.now() - t);
