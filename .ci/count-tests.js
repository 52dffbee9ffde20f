// Prints vitest's JSON reports (written when CI is set: one per Node version) as the plain line CI reads last.
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
if (files.length === 0) {
  console.error('count-tests: no test report; the tests did not run');
  process.exit(1);
}
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`count-tests: no test report at ${file} (${error.message}); the tests did not run`);
    process.exit(1);
  }
  console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
