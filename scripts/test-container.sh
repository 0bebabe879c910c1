#!/usr/bin/env bash
# `npm run test:container`: builds the defender-hub image and tests it on this machine, all on loopback.
#
#  1. A base image like node:24-bookworm-slim, built here when missing (no image registry is needed): Debian
#     bookworm from the machine's Debian mirror (debootstrap --variant=minbase), Node.js 24 from the npm registry's
#     node@24 package (scripts/node24.sh's cache) and npm@11, imported as defender-hub-base:bookworm-node24. The
#     Debian root file system is cached in $DEFENDER_HUB_CONTAINER_CACHE (~/.cache/defender-hub/container).
#  2. The Dockerfile built on it (docker build --network host).
#  3. The image tested: the simulator (from the image), `serve` on a fresh PostgreSQL database of the local server,
#     healthy by its HEALTHCHECK, /healthz, the web UI's page and its script, the integration added and a full sync
#     run by scripts/compose-demo-setup.sh (what compose's demo profile runs), the machines stored, a `worker`
#     taking a queued job; then `demo` on the image's default SQLite in a volume, and README's online backup of it.
# Every container runs with --network host and talks to 127.0.0.1 only. Prints the figures at the end.
#
# Needs docker (Debian's docker.io: `apt-get install -y docker.io debootstrap`); a daemon that is not running is
# started as `dockerd --bridge=none --iptables=false` and left running. Settings: TEST_PG_ADMIN_URL (a database
# on the PostgreSQL server to create the test's own from, default postgres://root@127.0.0.1:5432/test),
# BASE_IMAGE (skip step 1: e.g. node:24-bookworm-slim where a registry is reachable), REBUILD_BASE=1, IMAGE
# (default defender-hub:test), CONTAINER_TEST_MACHINES (default 500), DEBIAN_MIRROR, CA_BUNDLE (the CAs the base
# trusts for npm, default this machine's /etc/ssl/certs/ca-certificates.crt), KEEP_IMAGE=0 removes the image,
# CONTAINER_TEST_SQLITE=0 skips the SQLite part.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${DEFENDER_HUB_CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/defender-hub/container}
local_base=defender-hub-base:bookworm-node24
base_image=${BASE_IMAGE:-$local_base}
image=${IMAGE:-defender-hub:test}
pg_admin=${TEST_PG_ADMIN_URL:-postgres://root@127.0.0.1:5432/test}
machines=${CONTAINER_TEST_MACHINES:-500}
ca_bundle=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
run_id="dh-ct-$$"

say() { printf 'test:container: %s\n' "$*" >&2; }
fail() {
  say "FAILED: $*"
  exit 1
}
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

mkdir -p "$cache"
# Node.js 24 on PATH (and its npm): for the base image's node and for the free-port helper.
# shellcheck source=scripts/node24.sh
source "$repo/scripts/node24.sh"
node_cache_dir=$(cd "$npm_config_nodedir" && pwd -P)

# ---- the Docker daemon ----
if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || fail "no Docker daemon and no dockerd: apt-get install -y docker.io"
  say "starting dockerd --bridge=none --iptables=false (log: $cache/dockerd.log); it keeps running afterwards"
  setsid -f dockerd --bridge=none --iptables=false >"$cache/dockerd.log" 2>&1
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || fail "dockerd did not come up (see $cache/dockerd.log)"
fi
# The classic builder where the CLI has no buildx plugin (Debian's docker.io has none).
docker buildx version >/dev/null 2>&1 || export DOCKER_BUILDKIT=0

# ---- 1. the base image ----
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then
    echo "$DEBIAN_MIRROR"
    return
  fi
  # The mirror this machine's apt uses (deb822 or one-line sources), else Debian's own.
  local uri
  uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -v security | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//' |
    awk '{ print $1; exit }')
  echo "${uri:-http://deb.debian.org/debian}"
}

build_base() {
  local rootfs_tar="$cache/bookworm-minbase.tar" stage tmp mirror
  if [ ! -s "$rootfs_tar" ]; then
    command -v debootstrap >/dev/null || fail "debootstrap is needed for the base image: apt-get install -y debootstrap"
    mirror=$(debian_mirror)
    say "debootstrap --variant=minbase bookworm from $mirror (once; cached in $rootfs_tar)"
    tmp="$cache/rootfs.tmp"
    rm -rf "$tmp"
    debootstrap --variant=minbase --include=ca-certificates bookworm "$tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
      fail "debootstrap failed (see $cache/debootstrap.log)"
    # What slim images leave out: package lists (apt-get update fetches them), caches, documentation.
    rm -rf "$tmp"/var/lib/apt/lists/* "$tmp"/var/cache/apt/* "$tmp"/var/cache/debconf/*-old \
      "$tmp"/usr/share/doc/* "$tmp"/usr/share/man/* "$tmp"/usr/share/info/* "$tmp"/var/log/*.log
    tar -C "$tmp" --numeric-owner -cf "$rootfs_tar.part" .
    mv "$rootfs_tar.part" "$rootfs_tar"
    rm -rf "$tmp"
  fi
  stage=$(mktemp -d "$cache/stage.XXXXXX")
  tar -C "$stage" --numeric-owner -xf "$rootfs_tar"
  # Node.js 24 where node:24-bookworm-slim has it: /usr/local/bin/node and its headers in /usr/local/include/node.
  install -D -m 0755 "$node_cache_dir/bin/node" "$stage/usr/local/bin/node"
  mkdir -p "$stage/usr/local/include"
  cp -a "$node_cache_dir/include/node" "$stage/usr/local/include/"
  # npm 11 from the npm registry, installed globally into the image's /usr/local.
  npm install --global --prefix "$stage/usr/local" --no-audit --no-fund --loglevel=error npm@11 >&2
  # The CAs this machine trusts, so npm reaches the registry through the same (possibly TLS-inspecting) egress.
  if [ -s "$ca_bundle" ]; then
    mkdir -p "$stage/usr/local/share/ca-certificates"
    cp "$ca_bundle" "$stage/usr/local/share/ca-certificates/machine-trust.crt"
    cp "$ca_bundle" "$stage/etc/ssl/certs/ca-certificates.crt"
    mkdir -p "$stage/usr/local/etc"
    printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"$stage/usr/local/etc/npmrc"
  fi
  rm -rf "$stage"/dev/* "$stage/root/.npm"
  tar -C "$stage" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["node"]' \
    - "$local_base" >/dev/null
  rm -rf "$stage"
}

started=$(now)
if [ "$base_image" != "$local_base" ]; then
  base_time="not built (BASE_IMAGE=$base_image)"
elif [ "${REBUILD_BASE:-0}" != 1 ] && docker image inspect "$local_base" >/dev/null 2>&1; then
  base_time="cached ($local_base exists; REBUILD_BASE=1 rebuilds it)"
else
  say "building the base image $local_base"
  build_base
  base_time="$(seconds_since "$started") s"
fi
say "base image: $base_time"

# ---- 2. the image ----
say "building $image on $base_image (docker build --network host)"
started=$(now)
build_log="$cache/build.log"
if ! docker build --network host --build-arg "BASE_IMAGE=$base_image" -t "$image" "$repo" >"$build_log" 2>&1; then
  tail -40 "$build_log" >&2
  fail "docker build failed (whole log: $build_log)"
fi
image_time="$(seconds_since "$started") s"
image_size=$(docker image inspect --format '{{.Size}}' "$image")
say "image built in $image_time: $image_size bytes"

# What the image must not hold.
leftovers=$(docker run --rm --network host --entrypoint sh "$image" -c '
  cd /app
  ls -d src test bench .git tsconfig.json 2>/dev/null
  find dist -name "*.map" | head -3
  grep -rl "sourceMappingURL=" dist | head -3
  for dev in typescript vite vitest eslint tsx prettier react; do [ -e "node_modules/$dev" ] && echo "node_modules/$dev"; done
  [ "$(id -u)" != 0 ] || echo "runs as root"
  true')
[ -z "$leftovers" ] || fail "the image holds what it should not: $leftovers"

# ---- 3. the containers ----
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$run_id.XXXXXX")
database="dh_container_$$_$(date +%s)"
containers=()
volumes=()
cleanup() {
  local status=$?
  if [ "$status" -ne 0 ] && [ "${#containers[@]}" -gt 0 ]; then
    for c in "${containers[@]}"; do
      say "--- docker logs $c (last 30 lines) ---"
      docker logs --tail 30 "$c" 2>&1 | sed 's/^/    /' >&2 || true
    done
  fi
  [ "${#containers[@]}" -eq 0 ] || docker rm -f -v "${containers[@]}" >/dev/null 2>&1 || true
  [ "${#volumes[@]}" -eq 0 ] || docker volume rm "${volumes[@]}" >/dev/null 2>&1 || true
  psql "$pg_admin" -qAtc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$tmp"
  if [ "${KEEP_IMAGE:-1}" = 0 ]; then docker rmi "$image" >/dev/null 2>&1 || true; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => {
    process.stdout.write(String(s.address().port)); s.close(); });'
}
hub_port=$(free_port)
sim_port=$(free_port)
while [ "$sim_port" = "$hub_port" ]; do sim_port=$(free_port); done

psql "$pg_admin" -qAtc "CREATE DATABASE \"$database\"" >/dev/null
pg_url="${pg_admin%/*}/$database"
secret_key=$(openssl rand -base64 32)
admin_password=$(openssl rand -hex 16)
net=(--network host --add-host simulator:127.0.0.1)
hub_env=(-e "DATABASE_URL=$pg_url" -e "HUB_SECRET_KEY=$secret_key" -e "LOG_LEVEL=warn")
mkdir -p "$tmp/sim"
chmod 0777 "$tmp/sim"

# The simulator, from the image, as compose's demo profile runs it: its ready line and CA into a shared folder.
say "simulator on 127.0.0.1:$sim_port ($machines machines, no rate limits)"
containers+=("$run_id-sim")
# As in compose, the others reach it by the name "simulator" (here an /etc/hosts entry for 127.0.0.1), which its
# URLs and its certificate carry (--public-host). Without the per-minute limits, the sync's time is the hub's and
# not the wait for the next minute's window.
docker run -d --name "$run_id-sim" "${net[@]}" -v "$tmp/sim:/data" --entrypoint sh "$image" -c \
  "exec defender-hub simulator --port $sim_port --public-host simulator --machines $machines --no-rate-limits \
  --ca-out /data/ca.pem > /data/ready.json" >/dev/null

say "serve on 127.0.0.1:$hub_port, PostgreSQL database $database"
started=$(now)
containers+=("$run_id-hub")
docker run -d --name "$run_id-hub" "${net[@]}" "${hub_env[@]}" -e "HUB_ADMIN_PASSWORD=$admin_password" \
  -e "PORT=$hub_port" --health-interval 1s --health-start-period 60s "$image" >/dev/null
health=starting
for _ in $(seq 1 240); do
  health=$(docker inspect --format '{{.State.Health.Status}}' "$run_id-hub")
  [ "$health" = healthy ] && break
  [ "$(docker inspect --format '{{.State.Running}}' "$run_id-hub")" = true ] || fail "the hub container stopped"
  sleep 0.25
done
[ "$health" = healthy ] || fail "the hub container is $health, not healthy, after 60 s"
healthy_time="$(seconds_since "$started") s"
say "healthy after $healthy_time"

hub="http://127.0.0.1:$hub_port"
healthz=$(curl -fsS "$hub/healthz")
echo "$healthz" | grep -q '"status":"ok"' || fail "/healthz answered $healthz"
echo "$healthz" | grep -q '"database":"postgres"' || fail "/healthz answered $healthz"
curl -fsS "$hub/" >"$tmp/index.html"
grep -q '<div id="root">' "$tmp/index.html" || fail "/ is not the web UI's page"
script=$(grep -oE 'src="/assets/[^"]+\.js"' "$tmp/index.html" | head -1 | sed -E 's/^src="//; s/"$//')
[ -n "$script" ] || fail "no script in the web UI's page"
script_status=$(curl -sS -o /dev/null -w '%{http_code}' "$hub$script")
[ "$script_status" = 200 ] || fail "$script answered $script_status"
say "/healthz $healthz; / and $script answer 200"

for _ in $(seq 1 120); do
  [ -s "$tmp/sim/ready.json" ] && break
  sleep 0.25
done
[ -s "$tmp/sim/ready.json" ] || fail "the simulator wrote no ready line"
grep -q "\"apiBaseUrl\":\"https://simulator:$sim_port\"" "$tmp/sim/ready.json" ||
  fail "the simulator does not go by its public host: $(cut -c1-200 "$tmp/sim/ready.json")"

# What compose's demo-setup runs: the integration "demo" with the simulator's CA, then a full sync.
say "integrations add and a full sync, by scripts/compose-demo-setup.sh in a container"
started=$(now)
containers+=("$run_id-setup")
docker run --name "$run_id-setup" "${net[@]}" "${hub_env[@]}" -v "$tmp/sim:/sim:ro" \
  -v "$repo/scripts/compose-demo-setup.sh:/setup/compose-demo-setup.sh:ro" \
  --entrypoint sh "$image" /setup/compose-demo-setup.sh >"$tmp/sync.ndjson" 2>"$tmp/sync.err" ||
  {
    cat "$tmp/sync.err" >&2
    fail "the integration or its sync failed"
  }
sync_time="$(seconds_since "$started") s"
# One JSON line per dataset run (the sync_runs row); every one succeeded.
sync_summary=$(node -e '
  const runs = require("node:fs").readFileSync(process.argv[1], "utf8").split("\n")
    .filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  const failed = runs.filter((r) => r.status !== "succeeded");
  const machines = runs.find((r) => r.dataset === "machines");
  if (runs.length === 0 || failed.length > 0 || machines === undefined) {
    console.error(`runs: ${runs.length}; not succeeded: ${failed.map((r) => `${r.dataset} ${r.status} ${r.errorCode ?? ""}`).join(", ")}`);
    process.exit(1);
  }
  const first = Math.min(...runs.map((r) => Date.parse(r.startedAt)));
  const last = Math.max(...runs.map((r) => Date.parse(r.finishedAt)));
  const took = (r) => (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000;
  const slowest = runs.reduce((a, b) => (took(b) > took(a) ? b : a));
  console.log(`${runs.length} dataset runs succeeded in ${((last - first) / 1000).toFixed(1)} s ` +
    `(${runs.map((r) => r.dataset).join(", ")}; slowest ${slowest.dataset} ${took(slowest).toFixed(1)} s); ` +
    `machines: ${machines.recordsIn} read, ${machines.upserted} stored`);
' "$tmp/sync.ndjson") || fail "the sync did not succeed: $(cat "$tmp/sync.ndjson" "$tmp/sync.err")"
stored=$(psql "$pg_url" -qAtc "SELECT count(*) FROM endpoints")
[ "$stored" -gt 0 ] || fail "the sync stored no machines"
say "sync: $sync_summary; $stored machines stored as endpoints"

# The API shows them (the first admin's password came from HUB_ADMIN_PASSWORD).
curl -fsS -c "$tmp/cookies" -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" "$hub/api/v1/session" >/dev/null ||
  fail "sign-in as admin failed"
api_total=$(curl -fsS -b "$tmp/cookies" "$hub/api/v1/endpoints?pageSize=1" |
  node -e 'let t = ""; process.stdin.on("data", (d) => (t += d)).on("end", () => process.stdout.write(String(JSON.parse(t).total)));')
[ "$api_total" = "$stored" ] || fail "GET /api/v1/endpoints says $api_total endpoints, the database holds $stored"
say "GET /api/v1/endpoints as admin: total $api_total"

# The image's default database, SQLite under /data: `demo` (the simulator, a full sync on SQLite, serve) in a
# container of its own with a volume, checked after the worker below.
test_sqlite=${CONTAINER_TEST_SQLITE:-1}
if [ "$test_sqlite" != 0 ]; then
  sqlite_port=$(free_port)
  sqlite_volume="$run_id-data"
  volumes+=("$sqlite_volume")
  containers+=("$run_id-sqlite")
  sqlite_started=$(now)
  docker run -d --name "$run_id-sqlite" --network host -v "$sqlite_volume:/data" "$image" \
    demo --port "$sqlite_port" --machines 200 >/dev/null
fi

# A worker container takes a job from the PostgreSQL queue: a full machines run of "demo", queued as the hub's
# scheduler queues it, then `worker --once`.
say "a worker container runs a queued job"
docker run --rm "${net[@]}" "${hub_env[@]}" --entrypoint node "$image" --input-type=module -e '
  import { loadConfig } from "/app/dist/app/config.js";
  import { openHub } from "/app/dist/app/hub.js";
  import { SyncJobQueue } from "/app/dist/jobs/sync-job-queue.js";
  const hub = await openHub(loadConfig(process.env));
  try {
    const demo = (await hub.integrations.list()).find((i) => i.name === "demo");
    // false: the scheduler has queued one already (it queues a full sync when an integration is enabled).
    await new SyncJobQueue(hub.repos.db).enqueue(demo.id, "machines", { full: true });
  } finally {
    await hub.close();
  }' || fail "could not queue a job"
containers+=("$run_id-worker")
started=$(now)
# The worker logs JSON lines (pino) at info: its "ran N job(s)" record is what shows it took the job.
worker_output=$(docker run --name "$run_id-worker" "${net[@]}" "${hub_env[@]}" -e LOG_LEVEL=info "$image" worker --once 2>&1) ||
  fail "worker --once failed: $worker_output"
worker_time="$(seconds_since "$started") s"
echo "$worker_output" | grep -qE '"msg":"ran [1-9][0-9]* job' || fail "the worker ran no job: $worker_output"
if echo "$worker_output" | grep -q '"msg":"sync job failed'; then
  fail "a worker job failed: $worker_output"
fi
worker_summary=$(echo "$worker_output" | grep -oE '"msg":"(sync job done: [a-zA-Z]+|ran [0-9]+ job\(s\))"' |
  sed -E 's/^"msg":"(.*)"$/\1/' | paste -sd ';' - | sed 's/;/; /g')
say "worker: $worker_summary"

if [ "$test_sqlite" != 0 ]; then
  say "demo on SQLite: waiting for its ready line"
  sqlite_ready=
  for _ in $(seq 1 360); do
    sqlite_ready=$(docker logs "$run_id-sqlite" 2>/dev/null | grep -m1 '"event":"ready"' || true)
    [ -n "$sqlite_ready" ] && break
    [ "$(docker inspect --format '{{.State.Running}}' "$run_id-sqlite")" = true ] ||
      fail "demo on SQLite stopped: $(docker logs --tail 15 "$run_id-sqlite" 2>&1)"
    sleep 0.5
  done
  [ -n "$sqlite_ready" ] || fail "demo on SQLite printed no ready line in 180 s"
  sqlite_time="$(seconds_since "$sqlite_started") s"
  sqlite_healthz=$(curl -fsS "http://127.0.0.1:$sqlite_port/healthz")
  echo "$sqlite_healthz" | grep -q '"database":"sqlite"' || fail "/healthz of demo answered $sqlite_healthz"
  # README's online backup, run as written there: SQLite's backup API through node:sqlite, beside the running hub.
  mkdir -p "$tmp/backup"
  docker run --rm --network host --user 0 --volumes-from "$run_id-sqlite" -v "$tmp/backup:/backup" \
    --entrypoint node "$image" \
    -e "const s = require('node:sqlite'); s.backup(new s.DatabaseSync('/data/defender-hub.db'), '/backup/defender-hub.db')"
  backup_endpoints=$(docker run --rm --network host --user 0 -v "$tmp/backup:/backup" --entrypoint node "$image" \
    -e "const s = require('node:sqlite'); process.stdout.write(String(new s.DatabaseSync('/backup/defender-hub.db', { readOnly: true }).prepare('SELECT count(*) AS n FROM endpoints').get().n))")
  [ "$backup_endpoints" -gt 0 ] || fail "the backup of the SQLite database holds no endpoints"
  say "demo on SQLite ready after $sqlite_time; /healthz $sqlite_healthz; its backup holds $backup_endpoints endpoints"
fi

echo
echo "container test passed"
echo "  base image build:   $base_time"
echo "  image build:        $image_time"
echo "  image size:         $image_size bytes ($(awk -v b="$image_size" 'BEGIN { printf "%.0f MB", b / 1e6 }'))"
echo "  docker run→healthy: $healthy_time"
echo "  full sync:          $sync_summary; $sync_time wall for the container (integrations add, then sync)"
echo "  machines stored:    $stored endpoints of $machines simulated machines"
echo "  worker --once:      $worker_time ($worker_summary)"
if [ "$test_sqlite" != 0 ]; then
  echo "  demo on SQLite:     ready after $sqlite_time (200 machines, full sync included); backup: $backup_endpoints endpoints"
fi
