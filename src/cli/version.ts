/**
 * The package's version. Written here, not read from package.json, which would cost every start a file
 * read and, through node:fs's ESM facade, Node's stream classes; a test holds it to package.json.
 */
export const VERSION = '0.1.0';
