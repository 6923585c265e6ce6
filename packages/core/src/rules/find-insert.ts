import type { InsertStmt, RangeVar } from 'libpg-query';
import { walk } from '../route/ast.js';
import type { Rel } from '../route/model.js';
import type { Statement } from '../sql/statements.js';

/** The INSERT (top level, in a CTE, under EXPLAIN …) whose target is the table occurrence `rel`. */
export function findInsert(statement: Statement, rel: Rel): InsertStmt | undefined {
  let found: InsertStmt | undefined;
  walk(statement.ast, (tag, body) => {
    if (found) return false;
    if (tag !== 'InsertStmt') return true;
    const location = (body.relation as RangeVar | undefined)?.location;
    if (location !== undefined && statement.offsetOf(location) === rel.offset) found = body as InsertStmt;
    return true;
  });
  return found;
}
