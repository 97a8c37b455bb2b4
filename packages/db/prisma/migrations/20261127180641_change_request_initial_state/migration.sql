-- AlterTable
ALTER TABLE "ChangeRequest" ADD COLUMN     "initialState" "BotDesiredState";
