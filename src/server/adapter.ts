// The Bot Framework side of the transport: CloudAdapter with the app's credentials (or none in
// local mode), a last-resort turn error handler, and proactive messages for the notifier.
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../config';
import type { Proactive } from '../bot/deps';
import { errorText, type Logger } from '../log';
import { langFromLocale, messagesFor } from '../bot/i18n';

export function createAdapter(config: Pick<Config, 'bot' | 'localMode'>, log: Logger): CloudAdapter {
  const options: Partial<ConfigurationBotFrameworkAuthenticationOptions> = config.localMode
    ? {}
    : {
        MicrosoftAppId: config.bot.appId,
        MicrosoftAppPassword: config.bot.appPassword ?? '',
        MicrosoftAppType: config.bot.appType ?? 'SingleTenant',
        MicrosoftAppTenantId: config.bot.appTenantId ?? '',
      };
  const auth = new ConfigurationBotFrameworkAuthentication(options as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);
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
