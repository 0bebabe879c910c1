#!/bin/sh
# compose.yaml's `demo` profile, one shot, inside the defender-hub image: registers the simulator as the
# integration "demo" (trusting the CA the simulator wrote) and runs its first full sync, so the hub shows data.
# The simulator writes its ready line (tenant, client id and secret, URLs) and its CA into a volume mounted here.
# scripts/test-container.sh runs this same file against a simulator on loopback.
set -eu

ready=${DEMO_SIM_READY_FILE:-/sim/ready.json}
ca=${DEMO_SIM_CA_FILE:-/sim/ca.pem}
name=${DEMO_INTEGRATION_NAME:-demo}
wait_seconds=${DEMO_SIM_WAIT_SECONDS:-120}

waited=0
until [ -s "$ready" ] && [ -s "$ca" ]; do
  if [ "$waited" -ge "$wait_seconds" ]; then
    echo "demo-setup: no simulator ready line in $ready after ${wait_seconds} s" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done

# One field of the ready line (JSON), read with the image's Node.js.
field() {
  node -e 'const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    if (typeof r[process.argv[2]] !== "string") process.exit(1);
    process.stdout.write(r[process.argv[2]]);' "$ready" "$1"
}

# The simulator's CA is new on each start: an integration of that name from an earlier start is replaced.
if defender-hub integrations show "$name" >/dev/null 2>&1; then
  defender-hub integrations remove "$name" --yes >&2
fi
# Added disabled and enabled after the first sync: meanwhile the hub's scheduler queues nothing of it for the
# workers, so this sync never meets a worker's run of the same dataset. Enabled, the workers keep it synced.
field clientSecret | defender-hub integrations add --name "$name" --disabled \
  --tenant-id "$(field tenantId)" --client-id "$(field clientId)" --client-secret-stdin \
  --api-base-url "$(field apiBaseUrl)" --authority-host "$(field authorityHost)" \
  --graph-base-url "$(field graphBaseUrl)" --ca-file "$ca" >&2
# Forced, as `defender-hub demo` does: another seed is another tenant, and the hub should show the one running.
# One JSON line per dataset run on stdout.
status=0
defender-hub sync --integration "$name" --full --force --json || status=$?
defender-hub integrations enable "$name" >&2
exit "$status"
