// Bundles the console into dist/console, which apps/server serves at /.
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, '../../dist/console');
mkdirSync(outdir, { recursive: true });
// The contract's DTO modules decorate classes for the server's validation; the console uses
// none of them, so marking the contract side-effect free lets esbuild drop them together with
// class-validator and reflect-metadata.
const contractsWithoutSideEffects = {
  name: 'contracts-without-side-effects',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@vigil\/contracts$|^\.\/.*$/ }, (args) => {
      const inContracts =
        args.path === '@vigil/contracts' || args.importer.includes('/libs/contracts/src/');
      if (!inContracts) return undefined;
      const base =
        args.path === '@vigil/contracts'
          ? join(here, '../../libs/contracts/src/index')
          : join(dirname(args.importer), args.path);
      return { path: `${base}.ts`, sideEffects: false };
    });
  },
};

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
  plugins: [contractsWithoutSideEffects],
});
cpSync(join(here, 'src/index.html'), join(outdir, 'index.html'));
cpSync(join(here, 'src/console.css'), join(outdir, 'console.css'));
cpSync(join(here, '../../node_modules/uplot/dist/uPlot.min.css'), join(outdir, 'uPlot.min.css'));
