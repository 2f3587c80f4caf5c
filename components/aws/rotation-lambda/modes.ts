// How a secret rotates: shared by the rotation function and the program that tags the secrets. No imports.

/** The tag on a secret that tells the rotation function how to rotate it. */
export const ROTATION_MODE_TAG = "openclaw:rotation";

/**
 * `generate`: a new random value each rotation (the gateway token; its only consumer reads it through
 * External Secrets). `notify`: a value we cannot mint (a model provider key); the rotation re-stamps the
 * current value so the schedule and its audit trail run, and the RotationSucceeded event tells operators to
 * replace the key at the provider.
 */
export const ROTATION_MODES = ["generate", "notify"] as const;
export type RotationMode = (typeof ROTATION_MODES)[number];
