// A TLS front for a test server: did:web resolves over HTTPS only.
// Forwards every request to the plain HTTP server, keeping the Host.
//
//   node tls-proxy.mjs cert.pem key.pem <listen port> <server port>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { request } from 'node:http';

const [cert, key, listenPort, serverPort] = process.argv.slice(2);
createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (incoming, outgoing) => {
  const forwarded = request(
    {
      host: '127.0.0.1',
      port: Number(serverPort),
      method: incoming.method,
      path: incoming.url,
      headers: { ...incoming.headers, 'x-forwarded-proto': 'https' },
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode, answer.headers);
      answer.pipe(outgoing);
    },
  );
  forwarded.on('error', () => {
    outgoing.writeHead(502);
    outgoing.end();
  });
  incoming.pipe(forwarded);
}).listen(Number(listenPort), '127.0.0.1', () => console.log('listening'));
