#!/usr/bin/env node
// Runs before `pnpm pack` / `pnpm publish` of a package (its `prepack` script), in the package's
// directory. Refuses to pack what a user could not install:
//   - npm: it would copy `workspace:*` into the tarball's dependencies (pnpm replaces it with the
//     version of the workspace package). Publish with `pnpm publish` (docs/release.md).
//   - a package that is not built: dist/ (and the CLI's bundle) come from `pnpm build`.
import { existsSync, readFileSync } from 'node:fs';

const agent = process.env.npm_config_user_agent ?? '';
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const problems = [];
if (!agent.startsWith('pnpm/')) {
  problems.push(`pack and publish with pnpm (\`pnpm publish\`), not ${agent.split(' ')[0] || 'this client'}: only pnpm replaces "workspace:*" with real versions`);
}
const built = ['dist/index.js'];
if (pkg.name === 'limitless-lint') built.push('dist/limitless-lint.bundle.mjs', 'dist/lint-worker.js');
for (const file of built) if (!existsSync(file)) problems.push(`${file} is missing: run \`pnpm build\` at the repository root first`);
for (const file of ['README.md', 'LICENSE', ...(pkg.name === '@limitless-lint/core' ? ['schema/limitless.schema.json'] : [])]) {
  if (!existsSync(file)) problems.push(`${file} is missing`);
}
if (problems.length > 0) {
  process.stderr.write(`${pkg.name}: not packed:\n${problems.map((p) => `  - ${p}\n`).join('')}`);
  process.exit(1);
}
