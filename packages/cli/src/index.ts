export type { CliIo, OutputStream } from './io.js';
export type { JsonDiagnostic, JsonFile, JsonReport } from './reporters/json.js';
export { ExitCode } from './exit-codes.js';
export { main } from './main.js';
