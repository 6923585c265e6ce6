import type { Rel } from '../route/model.js';

/** How a table occurrence reads in a message: `transactions`, or `transactions t` when it has an alias. */
export function relLabel(rel: Rel): string {
  const short = rel.display.split('.').pop();
  return rel.refName === rel.display || rel.refName === short ? rel.display : `${rel.display} ${rel.refName}`;
}
