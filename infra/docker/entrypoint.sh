#!/bin/sh
# The bot reads single settings from environment variables and structured ones (profiles) from the
# file named by ENVBOT_CONFIG_FILE. The CDK stack passes the structured ones as ENVBOT_CONFIG_JSON;
# this writes them to /tmp (the only writable path) and points ENVBOT_CONFIG_FILE at it.
set -eu
if [ -n "${ENVBOT_CONFIG_JSON:-}" ] && [ -z "${ENVBOT_CONFIG_FILE:-}" ]; then
  ENVBOT_CONFIG_FILE="$(mktemp /tmp/envbot-config.XXXXXX)"
  printf '%s' "$ENVBOT_CONFIG_JSON" > "$ENVBOT_CONFIG_FILE"
  export ENVBOT_CONFIG_FILE
fi
exec "$@"
