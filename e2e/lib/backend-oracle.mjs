// The official @clerk/backend as an oracle: reads {now, cases: [...]} as JSON on stdin, runs each
// case through Clerk's authenticateRequest with the clock fixed at `now` (ms), and prints the
// outcomes as JSON on stdout. backend/tests/differential.rs runs our authenticate_request on the
// same cases and compares.
//
// A case: {name, method, url, headers: {name: value}, options: {publishableKey, secretKey, jwtKey,
// apiUrl, proxyUrl, domain, isSatellite, signInUrl, authorizedParties, audience, satelliteAutoSync}}.
// An outcome: {name, status, reason, message, location, setCookie: [names], headers: {lowercase name: value}}
// or {name, error} when Clerk throws.
import { createClerkClient } from '@clerk/backend';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

const realNow = Date.now;
Date.now = () => input.now;
// Clerk logs its warnings (azp missing, redirect loops, handshake failures): keep stdout for JSON.
console.log = console.warn = console.error = () => {};

const outcomes = [];
for (const c of input.cases) {
  const o = { ...c.options };
  for (const k of Object.keys(o)) if (o[k] === null) delete o[k];
  try {
    const client = createClerkClient({ secretKey: o.secretKey, publishableKey: o.publishableKey,
      jwtKey: o.jwtKey, apiUrl: o.apiUrl });
    const request = new Request(c.url, { method: c.method, headers: c.headers });
    const state = await client.authenticateRequest(request, o);
    const headers = {};
    for (const [k, v] of state.headers.entries()) if (k !== 'set-cookie') headers[k] = v;
    const setCookie = state.headers.getSetCookie().map((d) => d.split(';')[0].split('=')[0]);
    outcomes.push({ name: c.name, status: state.status, reason: state.reason ?? null,
      message: state.message ?? null, location: state.headers.get('location'), setCookie, headers,
      userId: state.toAuth()?.userId ?? null });
  } catch (e) {
    outcomes.push({ name: c.name, error: String(e?.message ?? e) });
  }
}
Date.now = realNow;
process.stdout.write(JSON.stringify(outcomes));
