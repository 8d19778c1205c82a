// Clerk's has() as the oracle: reads {cases: [{auth, params}]} on stdin (auth: the options of
// @clerk/shared's createCheckAuthorization: userId, orgId, orgRole, orgPermissions,
// factorVerificationAge, features, plans), prints [true|false, …]. backend/tests/has.rs compares
// clerk-core's Authorization::has with it.
import { createCheckAuthorization } from '@clerk/shared/authorization';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (c) => { text += c; });
  process.stdin.on('end', () => resolve(text));
}));
const answers = input.cases.map(({ auth, params }) => createCheckAuthorization(auth)(params));
process.stdout.write(JSON.stringify(answers));
