// Proves the documentation stays true to the code: the README stays short, every relative link in
// the README and docs/ resolves (file and heading), and docs/configuration.md names exactly the
// environment variables the configuration code reads.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(__dirname, '..');

function markdownFiles(): string[] {
  const files = ['README.md', 'bench/README.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir))) {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  walk('bench/results');
  return files;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsIn(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#+ (.+)$/gm)].map(([, heading]) => anchorOf(heading)));
}

describe('documentation', () => {
  it('keeps the README under 8 KB', () => {
    expect(statSync(join(root, 'README.md')).size).toBeLessThan(8 * 1024);
  });

  it.each(markdownFiles())('%s: every relative link resolves', (file) => {
    const text = readFileSync(join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path, anchor] = target.split('#');
      const resolved = path ? join(root, dirname(file), path) : join(root, file);
      if (!existsSync(resolved)) broken.push(`${target} (no ${relative(root, resolved)})`);
      else if (anchor && !anchorsIn(resolved).has(anchor)) broken.push(`${target} (no heading)`);
    }
    expect(broken).toEqual([]);
  });

  it('names in docs/configuration.md exactly the variables the configuration code reads', () => {
    const code = readFileSync(join(root, 'apps/server/src/config/vigil-config.ts'), 'utf8');
    const read = new Set(
      [...code.matchAll(/(?:integer|text|flag|oneOf)\('([A-Z0-9_]+)'|env\.([A-Z0-9_]+)/g)].map(
        ([, called, property]) => called ?? property,
      ),
    );
    const doc = readFileSync(join(root, 'docs/configuration.md'), 'utf8');
    const documented = new Set(
      doc
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .flatMap((line) =>
          [...line.split('|')[1].matchAll(/`([A-Z0-9_]+)`/g)].map(([, name]) => name),
        ),
    );
    expect([...documented].sort()).toEqual([...read].sort());
  });
});
