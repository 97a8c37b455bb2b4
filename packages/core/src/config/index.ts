export {
  botConfigSchema,
  parseBotConfig,
  defaultBotConfig,
  diffConfigs,
  REFERENCE_METHODS,
  MAX_MIN_NOTIONAL,
  type BotConfig,
  type BotConfigInput,
  type BotConfigResult,
  type ConfigIssue,
  type ConfigChange,
  type ReferenceMethod,
} from "./bot-config";
