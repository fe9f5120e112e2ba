#!/usr/bin/env bash
# Makes sure MariaDB (127.0.0.1:3306) and Redis (127.0.0.1:6379) answer, starting the local
# Debian services when they do not. Elsewhere (another host, docker) point MYSQL_HOST/REDIS_URL
# at running servers and this script only checks them.
set -euo pipefail

mysql_host=${MYSQL_HOST:-127.0.0.1}
mysql_port=${MYSQL_PORT:-3306}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}

answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

wait_for() { # name host port
  for _ in $(seq 1 60); do
    answers "$2" "$3" && return 0
    sleep 0.5
  done
  echo "services: $1 did not come up on $2:$3" >&2
  return 1
}

if ! answers "$mysql_host" "$mysql_port"; then
  if [ "$mysql_host" = 127.0.0.1 ] && command -v mariadbd >/dev/null; then
    echo "services: starting MariaDB" >&2
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_for MariaDB "$mysql_host" "$mysql_port"
  else
    echo "services: MariaDB/MySQL does not answer on $mysql_host:$mysql_port" >&2
    exit 1
  fi
fi

redis_hostport=${redis_url#redis://}
redis_hostport=${redis_hostport##*@}
redis_hostport=${redis_hostport%%/*}
redis_host=${redis_hostport%%:*}
redis_port=${redis_hostport##*:}
[ "$redis_port" = "$redis_host" ] && redis_port=6379
if ! answers "$redis_host" "$redis_port"; then
  if [ "$redis_host" = 127.0.0.1 ] && command -v redis-server >/dev/null; then
    echo "services: starting Redis" >&2
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for Redis "$redis_host" "$redis_port"
  else
    echo "services: Redis does not answer on $redis_host:$redis_port" >&2
    exit 1
  fi
fi
