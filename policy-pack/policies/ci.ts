// CI-1 policies: what CI checks must see is what deploys, so every image is pinned by digest and every chart by
// an exact version. The CI gate itself is .github/workflows/preview.yml.
import type { ResourceValidation } from "@pulumi/policy";
import { containersOf, HELM_CHART_V4_TYPE, HELM_RELEASE_TYPE, Json, validateWorkload, walkKnown } from "./lib/kubernetes";
import { resourcePolicy } from "./lib/meta";
import { previewSafe } from "./lib/preview";

export const MESSAGES = {
    imageNotPinned: (container: string, image: string) => `${container} image ${image} is not pinned by digest (@sha256:...)`,
    valuesImageNotPinned: (path: string, image: string) => `values.${path} names image ${image} without a digest`,
    chartNotPinned: (version: string) => `chart version ${version} is not an exact version`,
    chartRepoInsecure: (repo: string) => `chart repository ${repo} is not https or oci`,
} as const;

export const DIGEST = /@sha256:[0-9a-f]{64}$/;

export const kubernetesContainerEnforceImageDigest = resourcePolicy(
    {
        name: "kubernetes-container-enforce-image-digest",
        description: "Every container image the stack declares is pinned by digest.",
        checklist: ["CI-1"],
        severity: "high",
        remediationSteps: "Reference images as <registry>/<repo>:<tag>@sha256:<digest>; CI verifies the digest and its signature.",
    },
    validateWorkload((_workload, template, _args, report) => {
        previewSafe((check) => {
            check(() => {
                for (const { label, container } of containersOf(template()?.spec as Json | undefined)) {
                    const image = String(container.image ?? "");
                    if (!DIGEST.test(image)) {
                        report(MESSAGES.imageNotPinned(label, image || "(none)"));
                    }
                }
            });
        });
    }),
);

const releaseOnly = (fn: ResourceValidation): ResourceValidation => (args, report) => {
    if (args.type !== HELM_RELEASE_TYPE && args.type !== HELM_CHART_V4_TYPE) {
        args.notApplicable("Policy only applies to Helm releases");
    }
    return fn(args, report);
};

export const kubernetesHelmReleaseEnforceImageDigest = resourcePolicy(
    {
        name: "kubernetes-helm-release-enforce-image-digest",
        description: "Images named in chart values are pinned by digest.",
        checklist: ["CI-1"],
        severity: "medium",
        remediationSteps: "Set the chart's image digest value (image.digest or a tag with @sha256:...).",
    },
    releaseOnly((args, report) => {
        previewSafe((check) => {
            check(() => {
                walkKnown(args.props.values, (path, value, key) => {
                    if (value && typeof value === "object" && !Array.isArray(value)) {
                        const image = value as Json;
                        if (typeof image.repository === "string" && (image.tag !== undefined || image.digest !== undefined)) {
                            const digest = String(image.digest ?? "");
                            const tag = String(image.tag ?? "");
                            if (!/^sha256:[0-9a-f]{64}$/.test(digest) && !DIGEST.test(tag)) {
                                report(MESSAGES.valuesImageNotPinned(path, `${image.repository}:${tag}`));
                            }
                        }
                    } else if (key === "image" && typeof value === "string" && value.includes("/") && !DIGEST.test(value)) {
                        report(MESSAGES.valuesImageNotPinned(path, value));
                    }
                }, (_path, key, error) => {
                    // Only an unknown image reference leaves the verdict open.
                    if (["image", "repository", "tag", "digest"].includes(key)) {
                        throw error;
                    }
                });
            });
        });
    }),
);

export const kubernetesHelmReleaseEnforcePinnedChart = resourcePolicy(
    {
        name: "kubernetes-helm-release-enforce-pinned-chart",
        description: "Every chart is installed at an exact version from an https or OCI repository.",
        checklist: ["CI-1"],
        severity: "medium",
        remediationSteps: "Set version to an exact release (e.g. 1.19.1) and repositoryOpts.repo to an https:// URL, or an oci:// chart.",
    },
    releaseOnly((args, report) => {
        previewSafe((check) => {
            check(() => {
                const version = args.props.version === undefined ? "(unset: latest)" : String(args.props.version);
                if (!/^v?\d+\.\d+\.\d+([-+][\w.]+)?$/.test(version)) {
                    report(MESSAGES.chartNotPinned(version));
                }
            });
            check(() => {
                const chart = String(args.props.chart ?? "");
                const repo = String(((args.props.repositoryOpts as Json | undefined)?.repo as string | undefined) ?? (chart.startsWith("oci://") ? chart : ""));
                if (repo !== "" && !repo.startsWith("https://") && !repo.startsWith("oci://")) {
                    report(MESSAGES.chartRepoInsecure(repo));
                }
            });
        });
    }),
);

export const ciPolicies = [kubernetesContainerEnforceImageDigest, kubernetesHelmReleaseEnforceImageDigest, kubernetesHelmReleaseEnforcePinnedChart];
