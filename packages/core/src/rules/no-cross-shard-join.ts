import { defineRule } from './types.js';

// Placeholder: being written; replaced by the real rule before it is committed.
export default defineRule({
  meta: {
    id: 'no-cross-shard-join',
    description: 'TODO',
    category: 'routing',
    defaultLevel: 'off',
    domain: '',
    messages: { todo: 'TODO' },
    note: '',
    help: '',
    examples: { invalid: [], valid: [] },
  },
  check() {},
});
