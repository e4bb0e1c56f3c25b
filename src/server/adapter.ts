// The Bot Framework side of the transport: CloudAdapter with the app's credentials (or none in
// local mode), a last-resort turn error handler, and proactive messages for the notifier.
import type restify from 'restify';
import {
  ActivityTypes,
  CloudAdapter,
  type Activity,
  type InvokeResponse,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import { CertificateServiceClientCredentialsFactory } from 'botframework-connector';
import type { Config } from '../config';
import type { Proactive } from '../bot/deps';
import { errorText, type Logger } from '../log';
import { langFromLocale, messagesFor } from '../i18n';

/** CloudAdapter whose turn runs without its HTTP glue: CloudAdapter.process() prints errors with
 * their stack on the console and answers the error's own message (a URL, SDK internals). */
export class PlanSwitchAdapter extends CloudAdapter {
  /** Authenticates (the Bot Framework token, unless local mode) and runs the turn; the invoke answer, if any. */
  runActivity(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** The SDK refused the token (AuthenticationError 401); its own trouble (keys not loadable) is not that. */
function isAuthError(err: unknown): boolean {
  const e = err as { name?: string; statusCode?: number };
  if (e?.statusCode === 401 || (e?.name === 'AuthenticationError' && e.statusCode === undefined)) return true;
  // jsonwebtoken's own errors (bad signature, malformed, not yet valid) come through unwrapped.
  return e?.name === 'JsonWebTokenError' || e?.name === 'NotBeforeError' || e?.name === 'TokenExpiredError';
}

/**
 * One HTTP request to /api/messages (body already parsed and checked by src/server/http.ts):
 * token validated by the SDK (every request, unless local mode), then the bot. A refused token is
 * 401 and anything else unexpected 500, both as { error: { code, message } } and one log line.
 */
export async function processHttp(
  adapter: PlanSwitchAdapter,
  req: restify.Request,
  res: restify.Response,
  logic: (context: TurnContext) => Promise<void>,
  log: Logger,
): Promise<void> {
  const activity = { ...(req.body as Record<string, unknown>) } as Activity & Record<string, unknown>;
  for (const f of ['timestamp', 'expiration', 'localTimestamp'] as const) {
    const v = activity[f] as unknown;
    if (typeof v === 'string') {
      activity[`raw${f[0]!.toUpperCase()}${f.slice(1)}`] = v;
      (activity as Record<string, unknown>)[f] = new Date(v);
    }
  }
  const h = req.headers.authorization;
  const authHeader = typeof h === 'string' ? h : '';
  let answer: InvokeResponse | undefined;
  try {
    answer = await adapter.runActivity(authHeader, activity, logic);
  } catch (err) {
    if (isAuthError(err)) {
      log.warn('auth.refused', { error: errorText(err), hadToken: authHeader !== '' });
      if (!res.headersSent) res.send(401, { error: { code: 'Unauthorized', message: 'The request is not authorized: a valid Bot Framework token is required.' } });
      return;
    }
    log.error('turn.unhandled', { error: errorText(err) });
    if (!res.headersSent) res.send(500, { error: { code: 'InternalError', message: 'Something went wrong on our side.' } });
    return;
  }
  if (res.headersSent) return;
  if (answer?.body !== undefined) res.send(answer.status ?? 200, answer.body);
  else res.send(answer?.status ?? 200);
}

/**
 * The bot's outgoing credential when it is a certificate (MicrosoftAppCertificatePath); undefined:
 * the SDK's default, the client secret (or the managed identity) from the options.
 */
export function botCredentialsFactory(config: Pick<Config, 'bot' | 'localMode'>): CertificateServiceClientCredentialsFactory | undefined {
  const { appId, certificate, appTenantId } = config.bot;
  if (config.localMode || !appId || !certificate) return undefined;
  // The (appId, x5c, key, tenant) form: the SDK works out the thumbprint and sends the certificate
  // (x5c) with its token requests, which Entra's subject name and issuer authentication needs.
  return new CertificateServiceClientCredentialsFactory(appId, certificate.certificate, certificate.privateKey, appTenantId);
}

/**
 * @param authOverrides more ConfigurationBotFrameworkAuthentication options (tests point the
 *   OpenID metadata at a local key set; never set in production)
 */
export function createAdapter(
  config: Pick<Config, 'bot' | 'localMode'>,
  log: Logger,
  authOverrides: Partial<ConfigurationBotFrameworkAuthenticationOptions> = {},
): PlanSwitchAdapter {
  const options: Partial<ConfigurationBotFrameworkAuthenticationOptions> = config.localMode
    ? {}
    : {
        MicrosoftAppId: config.bot.appId,
        MicrosoftAppPassword: config.bot.appPassword ?? '',
        MicrosoftAppType: config.bot.appType ?? 'SingleTenant',
        MicrosoftAppTenantId: config.bot.appTenantId ?? '',
        ...authOverrides,
      };
  const auth = new ConfigurationBotFrameworkAuthentication(options as ConfigurationBotFrameworkAuthenticationOptions, botCredentialsFactory(config));
  const adapter = new PlanSwitchAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error('turn.failed', { error: errorText(error), type: context.activity?.type, name: context.activity?.name });
    const message = messagesFor(langFromLocale(context.activity?.locale)).errors.generic;
    try {
      if (context.activity?.type === ActivityTypes.Invoke) {
        await context.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: { status: 500, body: { statusCode: 500, type: 'application/vnd.microsoft.error', value: { code: 'InternalError', message } } },
        });
      } else if (context.activity?.type === ActivityTypes.Message) {
        await context.sendActivity(message);
      }
    } catch (err) {
      log.error('turn.error_report_failed', { error: errorText(err) });
    }
  };
  return adapter;
}

/** continueConversationAsync with the bot's app id ('' in local mode). */
export function adapterProactive(adapter: CloudAdapter, appId: string | undefined): Proactive {
  return {
    continue: (ref, logic) => adapter.continueConversationAsync(appId ?? '', ref, logic),
  };
}
