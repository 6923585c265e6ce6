import type { LimitlessLintPlugin } from '../dist/plugin.js';

declare const plugin: LimitlessLintPlugin;
export = plugin;
