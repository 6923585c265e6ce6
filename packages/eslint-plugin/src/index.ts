import plugin from './plugin.js';

export type { LimitlessLintPlugin } from './plugin.js';

// The ES module entry (eslint.config.js, .mjs): ESLint awaits the import of a config, and so this
// module's top-level await, so PostgreSQL's parser is loaded before any rule runs. `require()` gets
// the plugin from ../cjs/index.cjs instead (dist/plugin.js, no top-level await).
await plugin.ready;

export default plugin;
