// Verifies a JSON-LD credential with the Digital Credentials Consortium's
// verifier-core, the library behind VerifierPlus and the Learner Credential
// Wallet, and prints its result as JSON. Contexts come bundled with it; the
// issuer's did:web document and the status lists are fetched from the site
// (over TLS: start it behind tls-proxy.mjs and set NODE_EXTRA_CA_CERTS).
//
//   node verify-credential.mjs credential.json
import dns from 'node:dns';
import { readFileSync } from 'node:fs';
import { verifyCredential } from '@digitalcredentials/verifier-core';

// The proxy listens on 127.0.0.1; `localhost` must not resolve to ::1 first.
dns.setDefaultResultOrder('ipv4first');

const credential = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const result = await verifyCredential({ credential, knownDIDRegistries: [] });
delete result.credential;
// Stack traces are long and say nothing a test checks.
for (const error of result.errors ?? []) {
  delete error.stackTrace;
}
process.stdout.write(`\n${JSON.stringify(result)}\n`);
