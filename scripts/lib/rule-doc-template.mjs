// The hand-written sections of a new rule's docs page, around the blocks that scripts/docs.mjs
// generates from the rule's metadata (header, options, examples). Used by docs.mjs for a rule
// without a page and by new-rule.mjs.
export const RULE_DOC_TEMPLATE = `PLACEHOLDER_HEADER

## Rule details

Describe what the rule reports, in terms of the statement.

## Why it matters on Limitless

Explain the Limitless behaviour, linking the facts in docs/limitless/ and the AWS pages.

PLACEHOLDER_OPTIONS

PLACEHOLDER_EXAMPLES

## When not to use it

Describe when switching it off is reasonable.
`;
