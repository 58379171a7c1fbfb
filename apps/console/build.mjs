// Bundles the console into dist/console, which apps/server serves at /.
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, '../../dist/console');
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [join(here, 'src/main.ts')],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: 'es2022',
  outfile: join(outdir, 'console.js'),
  tsconfig: join(here, 'tsconfig.json'),
  logLevel: 'warning',
});
cpSync(join(here, 'src/index.html'), join(outdir, 'index.html'));
cpSync(join(here, 'src/console.css'), join(outdir, 'console.css'));
cpSync(join(here, '../../node_modules/uplot/dist/uPlot.min.css'), join(outdir, 'uPlot.min.css'));
