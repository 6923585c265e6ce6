import plugin from './plugin.js';

export type { LimitlessLintPlugin } from './plugin.js';

// The ES module entry (eslint.config.js, .mjs). plugin.js has already instantiated PostgreSQL's
// parser synchronously; awaiting `ready` here lets its runtime finish starting, so that even the
// Linter API right after `await import()` finds it loaded. `require()` gets the plugin from
// ../cjs/index.cjs instead (dist/plugin.js, no top-level await).
await plugin.ready;

export default plugin;
