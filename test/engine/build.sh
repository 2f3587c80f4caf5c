#!/usr/bin/env bash
# Builds (or reuses) the binaries the real-engine suite runs, from the Go module proxy, into a cache outside the work
# tree keyed by version and by the wrapper module that builds each: the Pulumi CLI and a Node language host, the
# Kubernetes provider, kube-apiserver and kube-controller-manager, etcd. Prints progress; fails fast on a build error.
#   test/engine/build.sh            build what is missing, print the bin directory last
#   OPENCLAW_ENGINE_PULUMI=/usr/local/bin/pulumi test/engine/build.sh
#                                   use an installed Pulumi CLI (and the real language host beside it) instead
# Cache: ${OPENCLAW_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-engine}/<name>-<version>-<key>/
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${OPENCLAW_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-engine}"
bin="$cache/bin"
mkdir -p "$cache" "$bin"

# Versions. Pulumi: the npm SDK pin (package.json @pulumi/pulumi). Kubernetes provider: the only version the module
# proxy serves (see build/kubernetes-provider/go.mod). Kubernetes: 1.34, the cluster version the stacks default to.
PULUMI_VERSION=v3.248.0
K8S_PROVIDER_MODULE_VERSION=v4.0.0-20260115033456-f47bc2d6f199
K8S_PROVIDER_VERSION=4.25.0
KUBERNETES_VERSION=v1.34.4
ETCD_VERSION=v3.6.16

export GOFLAGS="-trimpath"
# Builds run at the lowest priority: the machine is shared, and nothing waits on a build but this suite.
go_build() { nice -n 19 go build "$@"; }


# A key over the files of the wrapper module that builds a binary, so a changed wrapper rebuilds.
key_of() { (cd "$here/build/$1" && find . -type f \( -name go.mod -o -name go.sum -o -name '*.go' \) | sort | xargs sha256sum | sha256sum | cut -c1-12); }

# step <name> <dir> <command...>: runs a build step unless <dir>/.complete exists; prints what and how long.
step() {
    local name="$1" dir="$2"
    shift 2
    if [[ -f "$dir/.complete" ]]; then
        echo "engine-build: $name: cached in $dir"
        return 0
    fi
    command -v go >/dev/null || { echo "engine-build: $name: not cached and Go is not on PATH; install Go 1.26 (test/engine/README.md)" >&2; exit 1; }
    echo "engine-build: $name: building into $dir (cold on 2 cores: see docs/benchmarks.md) ..."
    rm -rf "$dir"
    mkdir -p "$dir"
    local start=$SECONDS log="$dir.log" rc
    # A subshell with errexit of its own: inside `if`, bash would ignore errexit and go on past a failed command.
    set +e
    (set -e; "$@") >"$log" 2>&1
    rc=$?
    set -e
    if [[ $rc -ne 0 ]]; then
        echo "engine-build: $name: BUILD FAILED (exit $rc) after $((SECONDS - start)) s; last lines of $log:" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
    touch "$dir/.complete"
    echo "engine-build: $name: built in $((SECONDS - start)) s"
}

build_pulumi() {
    local out="$1"
    cd "$here/build/pulumi"
    go_build -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
        -o "$out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    go_build -ldflags "-s -w -X main.version=$PULUMI_VERSION" -o "$out/pulumi-language-nodejs" ./language-host
}

build_kubernetes() {
    local out="$1" v=k8s.io/component-base/version
    cd "$here/build/kubernetes"
    go_build -ldflags "-s -w -X $v.gitVersion=$KUBERNETES_VERSION -X $v.gitMajor=1 -X $v.gitMinor=34 -X $v.gitTreeState=clean -X $v.buildDate=1970-01-01T00:00:00Z" \
        -o "$out/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
}

build_etcd() {
    local out="$1"
    cd "$here/build/etcd"
    go_build -ldflags "-s -w" -o "$out/etcd" .
}

build_kubernetes_provider() {
    local out="$1" src="$1/src" mod=github.com/pulumi/pulumi-kubernetes
    cd "$here/build/kubernetes-provider"
    # Download and verify against this wrapper's go.sum, then build a writable copy (the generate step writes into it).
    local dir
    dir="$(go mod download -json "$mod/provider/v4@$K8S_PROVIDER_MODULE_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
    [[ -n "$dir" ]] || { echo "no module directory for $mod/provider/v4@$K8S_PROVIDER_MODULE_VERSION"; return 1; }
    go mod download "$mod/sdk/v4"
    cp -r "$dir" "$src"
    chmod -R u+w "$src"
    grep "^$mod/sdk/v4 " go.sum >>"$src/go.sum"
    cd "$src"
    go mod edit -replace "$mod/sdk/v4=$mod/sdk/v4@v4.25.0"
    (cd cmd/pulumi-resource-kubernetes && VERSION="$K8S_PROVIDER_VERSION" nice -n 19 go generate .)
    go_build -ldflags "-s -w -X $mod/provider/v4/pkg/version.Version=$K8S_PROVIDER_VERSION" \
        -o "$out/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes
    rm -rf "$src"
}

link() { ln -sf "$1" "$bin/$(basename "$1")"; }

if [[ -n "${OPENCLAW_ENGINE_PULUMI:-}" ]]; then
    pulumi_bin="$(dirname "$(readlink -f "$OPENCLAW_ENGINE_PULUMI")")"
    echo "engine-build: pulumi: using the installed CLI in $pulumi_bin ($("$OPENCLAW_ENGINE_PULUMI" version))"
    link "$pulumi_bin/pulumi"
    link "$pulumi_bin/pulumi-language-nodejs"
else
    d="$cache/pulumi-$PULUMI_VERSION-$(key_of pulumi)"
    step "pulumi $PULUMI_VERSION + language host" "$d" build_pulumi "$d"
    link "$d/pulumi"
    link "$d/pulumi-language-nodejs"
fi

d="$cache/pulumi-resource-kubernetes-$K8S_PROVIDER_VERSION-$(key_of kubernetes-provider)"
step "pulumi-resource-kubernetes $K8S_PROVIDER_VERSION" "$d" build_kubernetes_provider "$d"
link "$d/pulumi-resource-kubernetes"

d="$cache/etcd-$ETCD_VERSION-$(key_of etcd)"
step "etcd $ETCD_VERSION" "$d" build_etcd "$d"
link "$d/etcd"

d="$cache/kubernetes-$KUBERNETES_VERSION-$(key_of kubernetes)"
step "kube-apiserver + kube-controller-manager $KUBERNETES_VERSION" "$d" build_kubernetes "$d"
link "$d/kube-apiserver"
link "$d/kube-controller-manager"

# What was built, for the suite's report.
if [[ -n "${OPENCLAW_ENGINE_PULUMI:-}" ]]; then
    cli="installed: $("$OPENCLAW_ENGINE_PULUMI" version)"
    host="installed beside it (the real host)"
else
    cli="$PULUMI_VERSION, built from github.com/pulumi/pulumi/pkg/v3"
    host="the project's stand-in host (test/engine/build/pulumi/language-host), protocol of $PULUMI_VERSION"
fi
cat >"$bin/versions.json" <<JSON
{
  "pulumi": "$cli",
  "pulumi-language-nodejs": "$host",
  "pulumi-resource-kubernetes": "$K8S_PROVIDER_VERSION (module $K8S_PROVIDER_MODULE_VERSION)",
  "kube-apiserver, kube-controller-manager": "$KUBERNETES_VERSION",
  "etcd": "$ETCD_VERSION",
  "go": "$(command -v go >/dev/null && go env GOVERSION || echo "not on PATH (binaries from the cache)")"
}
JSON
echo "$bin"
