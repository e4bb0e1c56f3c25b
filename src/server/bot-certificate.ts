// The bot's own credential as a certificate (MicrosoftAppCertificatePath) instead of a client
// secret: many tenants allow no secrets on app registrations. The file is one PEM holding the
// certificate and its private key, as for Graph (AZURE_CLIENT_CERTIFICATE_PATH). Read and checked
// once at start-up, so a wrong file is reported with the other configuration problems.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BotCertificate } from '../config';

export type { BotCertificate };

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const KEY_BLOCK = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

/** Reads and checks the PEM; throws an Error whose message names MicrosoftAppCertificatePath and what is wrong. */
export function readBotCertificate(path: string, now = new Date()): BotCertificate {
  const name = 'MicrosoftAppCertificatePath';
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const cert = CERT_BLOCK.exec(pem)?.[0];
  const key = KEY_BLOCK.exec(pem)?.[0];
  if (!cert) throw new Error(`${name}: ${path} holds no certificate (a "BEGIN CERTIFICATE" block)`);
  if (!key) throw new Error(`${name}: ${path} holds no private key (a "BEGIN PRIVATE KEY" block); put the key and the certificate in one PEM file`);
  if (key.includes('ENCRYPTED')) throw new Error(`${name}: the private key in ${path} is encrypted; the bot needs it without a passphrase`);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new Error(`${name}: the certificate in ${path} cannot be read`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new Error(`${name}: the private key in ${path} cannot be read`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new Error(`${name}: the private key in ${path} does not belong to its certificate`);
  const validTo = new Date(x509.validTo);
  if (validTo.getTime() < now.getTime()) throw new Error(`${name}: the certificate in ${path} expired on ${validTo.toISOString().slice(0, 10)}`);
  return {
    certificate: cert,
    privateKey: key,
    thumbprint: x509.fingerprint.replace(/:/g, ''),
    validTo: validTo.toISOString(),
  };
}
