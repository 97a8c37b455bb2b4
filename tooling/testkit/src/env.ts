/**
 * The PostgreSQL server the tests create their databases on: DATABASE_URL when given (the launcher's embedded
 * server, CI's), else the local server every development machine here runs.
 */
export const testServerUrl = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
