export type { CliIo, OutputStream } from './util/io.js';
export type { JsonDiagnostic, JsonFile, JsonReport } from './reporters/json.js';
export { ExitCode } from './util/exit-codes.js';
export { main } from './main.js';
