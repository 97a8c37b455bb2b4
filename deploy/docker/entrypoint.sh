#!/bin/sh
# The image's entry point: the first argument is the role, the rest goes to it. Settings are environment
# variables, as documented in the README (web), apps/engine/README.md (engine) and packages/db/README.md (migrate).
set -eu
role="${1:-help}"
[ "$#" -gt 0 ] && shift

case "$role" in
  web)
    cd /app/apps/web
    exec node /app/node_modules/next/dist/bin/next start -p "${PORT:-3000}" -H "${HOST:-0.0.0.0}" "$@"
    ;;
  engine)
    cd /app/apps/engine
    exec node --import tsx src/main.ts "$@"
    ;;
  simulator)
    cd /app/packages/exchange-sim
    exec node --import tsx src/cli.ts --host "${SIMULATOR_HOST:-0.0.0.0}" --port "${SIMULATOR_PORT:-8765}" "$@"
    ;;
  migrate)
    cd /app/packages/db
    exec node --import tsx scripts/migrate.ts deploy "$@"
    ;;
  seed)
    cd /app/packages/db
    exec node --import tsx scripts/seed.ts "$@"
    ;;
  help | --help | -h)
    echo "usage: bandkeeper <web|engine|simulator|migrate|seed> [arguments]"
    echo "  web        the dashboard (PORT, default 3000; HOST, default 0.0.0.0)"
    echo "  engine     the market-making engine (arguments as for npm run engine, e.g. --help)"
    echo "  simulator  the exchange simulator on SIMULATOR_PORT (default 8765) of SIMULATOR_HOST (default 0.0.0.0)"
    echo "  migrate    apply the database migrations to DATABASE_URL, then exit"
    echo "  seed       create the demo desk in DATABASE_URL if it is empty, then exit"
    ;;
  *)
    echo "bandkeeper: unknown role '$role' (web, engine, simulator, migrate, seed)" >&2
    exit 64
    ;;
esac
