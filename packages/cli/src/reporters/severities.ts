import type { Severity } from '@limitless-lint/core';

/** The severities, worst first. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
