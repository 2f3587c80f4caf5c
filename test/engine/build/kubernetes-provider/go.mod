// Pins the pulumi-kubernetes provider source the real-engine suite builds. The Go module proxy serves
// github.com/pulumi/pulumi-kubernetes/provider/v4 at one pseudo-version only, v4.0.0-20260115033456-f47bc2d6f199,
// the commit tagged v4.25.0 (the npm SDK is @pulumi/kubernetes 4.34.2: see test/engine/README.md for the skew).
// The provider embeds files its `go generate` step writes, so build.sh copies this module out of the module
// cache into its own cache directory, runs that step there and builds the copy; nothing of it is committed.
module openclaw.local/engine-build/kubernetes-provider

go 1.24.7

require github.com/pulumi/pulumi-kubernetes/provider/v4 v4.0.0-20260115033456-f47bc2d6f199

// The provider's go.mod replaces sdk/v4 with ../sdk (a sibling directory in its repository); the copy uses the
// published sdk/v4 of the same release instead.
require github.com/pulumi/pulumi-kubernetes/sdk/v4 v4.25.0
