#!/usr/bin/env node
// Part of `pnpm version-packages` (after `changeset version`): the GitHub Action's `version` input
// defaults to the version being released, so a workflow without limitless-lint in its
// devDependencies runs a published version that matches the action's tag (docs/release.md).
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('packages/cli/package.json', root), 'utf8'));
const file = new URL('action.yml', root);
const text = readFileSync(file, 'utf8');
const pattern = /(\n {2}version:\n(?: {4}.*\n)*? {4}default: )'[^'\n]*'/;
if (!pattern.test(text)) throw new Error('action.yml: no `version` input with a quoted default');
const updated = text.replace(pattern, `$1'${version}'`);
if (updated !== text) writeFileSync(file, updated);
console.log(`action.yml: version defaults to ${version}`);
