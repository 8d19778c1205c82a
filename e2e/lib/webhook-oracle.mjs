// Webhook signatures by their reference implementations: reads JSON on stdin
//   {secret, sign: [{id, timestamp, body}], verify: [{headers, body}]}
// and prints {signed: ["v1,…" (the svix npm package's Webhook.sign)],
//             verified: [{svix: "ok"|error, clerk: "ok"|error}] (svix's Webhook.verify and
//             @clerk/backend/webhooks' verifyWebhook)}.
// backend/tests/webhooks.rs checks our verifier against the first and our signatures against the second.
import { Webhook } from 'svix';
import { verifyWebhook } from '@clerk/backend/webhooks';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (c) => { text += c; });
  process.stdin.on('end', () => resolve(text));
}));
console.log = console.warn = console.error = () => {};

const wh = new Webhook(input.secret);
const signed = input.sign.map((m) => wh.sign(m.id, new Date(m.timestamp * 1000), m.body));
const verified = [];
for (const v of input.verify) {
  const out = {};
  try { wh.verify(v.body, v.headers); out.svix = 'ok'; } catch (e) { out.svix = String(e?.message ?? e); }
  try {
    const request = new Request('http://localhost/webhooks', { method: 'POST', headers: v.headers, body: v.body });
    const event = await verifyWebhook(request, { signingSecret: input.secret });
    out.clerk = event?.type ? 'ok' : 'no event';
  } catch (e) { out.clerk = String(e?.message ?? e); }
  verified.push(out);
}
process.stdout.write(JSON.stringify({ signed, verified }));
