// The bot's view of the shared message tables (src/i18n).
export * from '../../i18n';
