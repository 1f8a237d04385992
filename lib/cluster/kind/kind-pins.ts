/**
 * The one place where the kind driver's versions are pinned. kind supports a node image only
 * with the kind release that built it, and it asks users to pin images by digest
 * (release notes of v0.32.0). Move these together, and re-check /work/shared/KIND-NOTES.md
 * (node internals the packs depend on) whenever they move.
 */
export const KIND_PINS = {
  /** Oldest kind that can `kind load` into this image (v0.32.0 upgraded containerd in the image). */
  minKindVersion: "0.32.0",
  /** The default node image of kind v0.32.0: Kubernetes v1.36.1. */
  nodeImage: "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5",
  kubernetesVersion: "1.36.1",
} as const;

/** Every cluster this driver creates is named with this prefix, so list() and GC can find them. */
export const CLUSTER_PREFIX = "breakfix-";
/** Warm-pool clusters are named breakfix-pool-<id>; a lab that takes one keeps that name. */
export const POOL_PREFIX = "breakfix-pool-";

/** inotify limits kind's known-issues page asks for when several clusters share one host. */
export const INOTIFY_MINIMUMS = {
  "fs.inotify.max_user_watches": 524288,
  "fs.inotify.max_user_instances": 512,
} as const;
