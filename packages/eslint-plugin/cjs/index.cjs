'use strict';
/* global module, require */
// The CommonJS entry (`require('@limitless-lint/eslint-plugin')`, eslint.config.cjs): the same
// plugin object as the ES module entry, loaded with require(esm) from dist/plugin.js, which has no
// top-level await and loads PostgreSQL's parser synchronously: a plain `module.exports = [...]`
// config works (see README.md).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- this file is the CommonJS entry
module.exports = require('../dist/plugin.js').default;
