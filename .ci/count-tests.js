// Prints vitest's JSON report (written when CI is set) as the plain line CI reads last.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.ci/results.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`count-tests: no test report at ${file} (${error.message}); the tests did not run`);
  process.exit(1);
}
const skipped = report.numPendingTests + report.numTodoTests;
const tail = skipped > 0 ? `, ${skipped} skipped` : '';
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${tail}`);
