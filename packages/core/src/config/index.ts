export {
  botConfigSchema,
  parseBotConfig,
  defaultBotConfig,
  diffConfigs,
  REFERENCE_METHODS,
  type BotConfig,
  type BotConfigInput,
  type BotConfigResult,
  type ConfigIssue,
  type ConfigChange,
  type ReferenceMethod,
} from "./bot-config";
