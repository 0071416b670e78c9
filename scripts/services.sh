#!/usr/bin/env bash
# Makes sure the services the tests use are up (this machine kind starts PostgreSQL, Redis,
# RabbitMQ and NATS; start them again if they stopped) and that Chromium is installed for the
# browser test.
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 5432 && command -v pg_ctlcluster >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if ! port_open 6379 && command -v redis-server >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
# The task queue tests use RabbitMQ and NATS with JetStream (also started by this machine kind).
if ! port_open 5672 && command -v rabbitmq-server >/dev/null 2>&1; then
  rabbitmq-server -detached || true
  for _ in $(seq 60); do port_open 5672 && break; sleep 1; done
fi
if ! port_open 4222 && [ -x /usr/sbin/nats-server ]; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true
fi
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "services.sh: could not install chromium; the browser test will report it"
fi
# MongoDB tests run against mongoeco's wire-protocol server, which needs Python 3.13: give it
# its own virtual environment (the tests start the server themselves).
MONGOECO_VENV=.cache/mongoeco-venv
if ! "$MONGOECO_VENV/bin/python" -c "import mongoeco.wire, pymongo" 2>/dev/null; then
  PY313="$(command -v python3.13 || true)"
  if [ -z "$PY313" ] && command -v pyenv >/dev/null 2>&1; then
    v="$(pyenv versions --bare | grep -E '^3\.13\.[0-9]+$' | sort -V | tail -n1)"
    [ -n "$v" ] && PY313="$(pyenv root)/versions/$v/bin/python3"
  fi
  if [ -n "$PY313" ]; then
    rm -rf "$MONGOECO_VENV"
    "$PY313" -m venv "$MONGOECO_VENV" && "$MONGOECO_VENV/bin/pip" install -q "mongoeco[wire]==4.11.0" \
      || echo "services.sh: could not prepare mongoeco; the MongoDB tests will report it"
  else
    echo "services.sh: no Python 3.13 for mongoeco; the MongoDB tests will report it"
  fi
fi
exit 0
