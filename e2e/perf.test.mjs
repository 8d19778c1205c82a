// The figures of examples/app next to the official clerk-js (see perf.mjs), printed by `./test.sh e2e`:
// page weight of the home page, and a returning user's time to the first signed-in render, median of 10
// (PERF_RUNS to change), with the ratio. It checks that both pages render signed in; it sets no time limit (the
// machine is shared), the numbers are for the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measure } from './perf.mjs';

test('figures: page weight, and time to the first signed-in render against clerk-js', async () => {
  const { weight, results } = await measure({ runs: Number(process.env.PERF_RUNS ?? 10) });
  assert.ok(weight.files.some((f) => f.file.endsWith('.wasm')), 'the home page loads the wasm');
  for (const r of Object.values(results)) {
    assert.ok(r.app > 0 && r.clerkJs > 0, 'both pages rendered signed in');
    assert.deepEqual(r.appFapi, ['GET /v1/environment', 'GET /v1/client'], 'a returning user costs the app two FAPI calls');
  }
});
