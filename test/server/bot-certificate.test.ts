import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { configProblems } from '../helpers/config';
import { botCredentialsFactory } from '../../src/server/adapter';
import { readBotCertificate } from '../../src/server/bot-certificate';

// The bot's own credential as a certificate (MicrosoftAppCertificatePath). The fixtures are a
// self-signed test certificate made for these specs, its key, and a key that is not its own.
const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'server', 'fixtures');
const CERT = join(FIXTURES, 'bot-cert.pem');
const APP = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const TENANT = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
const base = { MicrosoftAppId: APP, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT };

const problems = configProblems;

describe('bot credential: a certificate instead of a client secret', () => {
  it('reads the certificate and key from one PEM; the thumbprint is the SHA-1 of the certificate', () => {
    const c = readBotCertificate(CERT);
    const der = new X509Certificate(readFileSync(CERT, 'utf8')).raw;
    assert.equal(c.thumbprint, createHash('sha1').update(der).digest('hex').toUpperCase());
    assert.match(c.certificate, /^-----BEGIN CERTIFICATE-----/);
    assert.match(c.privateKey, /^-----BEGIN PRIVATE KEY-----/);
    assert.ok(Date.parse(c.validTo) > Date.now());
  });

  it('the configuration takes it in place of MicrosoftAppPassword, and the adapter signs with it', async () => {
    const config = loadConfig({ ...base, MicrosoftAppCertificatePath: CERT }, { readCertificate: readBotCertificate });
    assert.equal(config.bot.appPassword, undefined);
    assert.equal(config.bot.certificate?.thumbprint, readBotCertificate(CERT).thumbprint);
    const factory = botCredentialsFactory(config);
    assert.ok(factory, 'a certificate credentials factory');
    assert.equal(await factory.isValidAppId(APP), true);
    assert.equal(await factory.isValidAppId('another-app'), false);
    const creds = (await factory.createCredentials(APP, 'https://api.botframework.com')) as unknown as {
      certificateThumbprint?: string;
      x5c?: string;
      appId?: string;
    };
    assert.equal(creds.appId, APP);
    assert.equal(creds.certificateThumbprint?.toUpperCase(), config.bot.certificate!.thumbprint);
    // With a client secret (or locally) the SDK's own credential stays in use.
    assert.equal(botCredentialsFactory(loadConfig({ ...base, MicrosoftAppPassword: 's3cret' })), undefined);
    assert.equal(botCredentialsFactory(loadConfig({})), undefined);
  });

  it('a file that is missing, has no key, or has a key of another certificate is a start-up problem, named', () => {
    assert.match(problems({ ...base, MicrosoftAppCertificatePath: join(FIXTURES, 'nope.pem') }).join('\n'), /MicrosoftAppCertificatePath: cannot read .*nope\.pem \(ENOENT\)/);
    assert.match(problems({ ...base, MicrosoftAppCertificatePath: join(FIXTURES, 'bot-cert-no-key.pem') }).join('\n'), /holds no private key/);
    assert.match(problems({ ...base, MicrosoftAppCertificatePath: join(FIXTURES, 'bot-cert-wrong-key.pem') }).join('\n'), /does not belong to its certificate/);
    assert.throws(() => readBotCertificate(CERT, new Date('2100-01-01')), /expired on \d{4}-\d{2}-\d{2}/);
  });

  it('one credential only: a password and a certificate together, a certificate with a managed identity or without an app id, are refused', () => {
    assert.match(problems({ ...base, MicrosoftAppPassword: 's3cret', MicrosoftAppCertificatePath: CERT }).join('\n'), /both set: the bot uses one credential/);
    assert.match(problems({ ...base, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppCertificatePath: CERT }).join('\n'), /UserAssignedMSI, which uses no certificate/);
    assert.match(problems({ MicrosoftAppCertificatePath: CERT }).join('\n'), /MicrosoftAppCertificatePath is set but MicrosoftAppId is empty/);
    assert.match(problems({ ...base }).join('\n'), /MicrosoftAppPassword \(the bot's client secret\) or MicrosoftAppCertificatePath/);
  });
});
