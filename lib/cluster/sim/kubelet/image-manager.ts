/**
 * The kubelet's image manager (pkg/kubelet/images): the node's image store, seeded with kind's
 * preloaded images, the pull policy, pulls through the catalogue's registries with the pod's
 * pull secrets, and the pull back-off with its events (Pulling, Pulled, Failed, BackOff).
 */
import { credentialsFromSecret, pullImage, resolveFailed, type PullResult, type RegistryCredential } from "../catalogue/image-pull";
import { IMAGE_CATALOGUE, parseImageRef, type CatalogueImage, type TagInfo } from "../catalogue/images";
import type { Container } from "../controllers/api-types";
import type { ObjectStore } from "../store/object-store";
import { Backoff } from "./backoff";
import { RESYNC_DELAYS, type KubeletContext, type PodActions } from "./kubelet-context";
import type { ImagePushRequest, ImagePushResult, NodeImage } from "./kubelet-seams";
import { endpointsFor, isAddressHost, pullFromRegistry, pushToRegistry } from "./registry-client";
import type { ContainerRuntimeState, NodeImageRecord, PodRuntimeState } from "./pod-runtime-state";

export interface ImageManager {
  /** The node's images, for crictl images. */
  list(): NodeImage[];
  /**
   * The image step of a container start: the image when the container can start now; otherwise
   * undefined, with the container's waiting reason set, and `onPulled` called once a pull succeeds.
   */
  ensureImage(rt: PodRuntimeState, st: ContainerRuntimeState, onPulled: (img: NodeImageRecord) => void): NodeImageRecord | undefined;
  /** Forgets every pull back-off (a kubelet restart). */
  resetBackoff(): void;
  /** `ctr images tag`: another name for an image the node has (names as ctr takes them: unnormalised). */
  tag(source: string, target: string, force: boolean): { ok: true } | { ok: false; error: string };
  /** `ctr images push`: uploads a node image to a registry the node reaches. */
  push(req: ImagePushRequest): ImagePushResult;
}

export function imageOf(c: Container): string {
  return c.image ?? "";
}

/** The default policy: Always for :latest (or no tag), IfNotPresent otherwise. */
export function pullPolicyOf(c: Container): "Always" | "IfNotPresent" | "Never" {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const ref = parseImageRef(imageOf(c));
  return ref.tag === "latest" && !ref.digest ? "Always" : "IfNotPresent";
}

/** The pod's imagePullSecrets, then its service account's. */
function pullCredentialsOf(store: ObjectStore, rt: PodRuntimeState): RegistryCredential[] {
  const ns = rt.pod.metadata.namespace;
  const names = [...(rt.pod.spec.imagePullSecrets ?? []).map((s) => s.name)];
  const sa = store.get("serviceaccounts", ns, rt.pod.spec.serviceAccountName ?? "default");
  for (const s of (sa?.imagePullSecrets as { name: string }[] | undefined) ?? []) names.push(s.name);
  const out: RegistryCredential[] = [];
  for (const n of names) {
    const sec = store.get("secrets", ns, n);
    if (sec) out.push(...credentialsFromSecret(sec.data as Record<string, string> | undefined));
  }
  return out;
}

export function createImageManager(ctx: KubeletContext, actions: PodActions): ImageManager {
  const { store, clock, journal } = ctx;
  const { podEvent, schedule, writeStatus } = actions;
  const images = new Map<string, NodeImageRecord>();
  const pullBackoff = new Backoff(ctx.now);

  function addImage(image: CatalogueImage, ref: string, t: TagInfo, preloaded: boolean): NodeImageRecord {
    const info: NodeImageRecord = { ref, id: t.id, digest: t.digest, size: t.size, image, preloaded };
    images.set(ref, info);
    return info;
  }

  for (const img of IMAGE_CATALOGUE) {
    for (const t of img.preloaded ?? []) {
      const info = img.tags[t];
      if (info) addImage(img, `${img.repository}:${t}`, info, true);
    }
  }

  function findImage(image: string): NodeImageRecord | undefined {
    const ref = parseImageRef(image);
    const direct = images.get(ref.full);
    if (direct) return direct;
    if (ref.digest) {
      const hex = ref.digest.replace(/^sha256:/, "");
      return [...images.values()].find((i) => i.image.repository === ref.repository && i.digest === hex);
    }
    return undefined;
  }

  /**
   * A pull as containerd does it: registries the node reaches by address (or that its
   * /etc/containerd/certs.d configures) through the cluster network; others from the catalogue.
   */
  function pull(image: string, creds: RegistryCredential[]): PullResult {
    const ref = parseImageRef(image);
    const network = ctx.network;
    const hostsToml = ctx.hooks?.nodeFile?.(`/etc/containerd/certs.d/${ref.host}/hosts.toml`) ?? null;
    const endpoints = endpointsFor(ref.host, hostsToml).filter((e) => isAddressHost(e.host));
    if (!network || !endpoints.length) return pullImage(image, creds);
    const c = creds.find((x) => x.registry === ref.host);
    const r = pullFromRegistry(network, ref, endpoints, c?.username && c.password ? { username: c.username, password: c.password } : undefined);
    if (r.ok) return { ref, ...r };
    // A mirror that fails falls through to the registry itself, unless that is the in-cluster one.
    if (!isAddressHost(ref.host)) return pullImage(image, creds);
    return { ok: false, ref, error: resolveFailed(ref, r.detail, r.code) };
  }

  function tag(source: string, target: string, force: boolean): { ok: true } | { ok: false; error: string } {
    const src = images.get(source);
    if (!src) return { ok: false, error: `image "${source}": not found` };
    if (images.has(target) && !force) return { ok: false, error: `image "${target}": already exists` };
    images.set(target, { ...src, ref: target, preloaded: false });
    return { ok: true };
  }

  function push(req: ImagePushRequest): ImagePushResult {
    const local = images.get(req.local ?? req.ref);
    if (!local) return { ok: false, error: `unable to resolve image to manifest: image "${req.local ?? req.ref}": not found` };
    if (!ctx.network) return { ok: false, error: `failed to do request: Head "https://${parseImageRef(req.ref).host}/v2/": dial tcp: connect: network is unreachable` };
    return pushToRegistry(ctx.network, parseImageRef(req.ref), { id: local.id, size: local.size }, { plainHttp: req.plainHttp, creds: req.creds });
  }

  function ensureImage(rt: PodRuntimeState, st: ContainerRuntimeState, onPulled: (img: NodeImageRecord) => void): NodeImageRecord | undefined {
    const c = st.spec;
    const image = imageOf(c);
    const policy = pullPolicyOf(c);
    const present = findImage(image);
    if (policy === "Never" && !present) {
      const msg = `Container image "${image}" is not present with pull policy of Never`;
      podEvent(rt, c, "Warning", "ErrImageNeverPull", msg);
      podEvent(rt, c, "Warning", "Failed", "Error: ErrImageNeverPull");
      st.waiting = { reason: "ErrImageNeverPull", message: msg };
      schedule(rt, RESYNC_DELAYS.errorMs);
      return undefined;
    }
    if (present && policy !== "Always") {
      podEvent(rt, c, "Normal", "Pulled", `Container image "${image}" already present on machine`);
      return present;
    }
    const key = `${rt.uid}/${image}`;
    if (st.lastPullFailAt !== undefined && pullBackoff.inBackOffSince(key, st.lastPullFailAt)) {
      podEvent(rt, c, "Normal", "BackOff", `Back-off pulling image "${image}"`);
      podEvent(rt, c, "Warning", "Failed", "Error: ImagePullBackOff");
      st.waiting = { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}": ErrImagePull: ${st.lastPullError ?? ""}` };
      journal.write("E", "pod_workers.go:1301", `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"${c.name}\\" with ImagePullBackOff: \\"Back-off pulling image \\\\\\"${image}\\\\\\"\\"" pod="${rt.pod.metadata.namespace}/${rt.pod.metadata.name}" podUID="${rt.uid}"`);
      const remaining = st.lastPullFailAt + pullBackoff.get(key) - ctx.now();
      schedule(rt, Math.max(100, Math.min(remaining + 50, RESYNC_DELAYS.errorMs)));
      return undefined;
    }
    podEvent(rt, c, "Normal", "Pulling", `Pulling image "${image}"`);
    st.pulling = true;
    // While a pull is in flight the status keeps the last sync's reason (ErrImagePull/ImagePullBackOff).
    if (st.waiting?.reason !== "ErrImagePull" && st.waiting?.reason !== "ImagePullBackOff") st.waiting = { reason: "ContainerCreating" };
    const started = ctx.now();
    journal.runtime("info", `PullImage "${image}"`);
    const result = pull(image, pullCredentialsOf(store, rt));
    const duration = result.ok ? 800 + Math.min(6000, result.tag.size / 40_000) : 600;
    st.timers.push(
      clock.after(duration, () => {
        st.pulling = false;
        if (rt.terminating || !ctx.pods.has(rt.uid)) return;
        if (!ctx.process.running) {
          schedule(rt, RESYNC_DELAYS.errorMs);
          return;
        }
        if (result.ok) {
          const info = addImage(result.image, result.ref.full, result.tag, false);
          const took = ((ctx.now() - started) / 1000).toFixed(3).replace(/\.?0+$/, "");
          journal.runtime("info", `Pulled image "${image}" with image id "sha256:${info.id}", repo tag "${info.ref}", repo digest "${info.ref.replace(/:[^:/]+$/, "")}@sha256:${info.digest}", size "${info.size}" in ${took}s`);
          podEvent(rt, c, "Normal", "Pulled", `Successfully pulled image "${image}" in ${took}s (${took}s including waiting). Image size: ${result.tag.size} bytes.`);
          pullBackoff.reset(key);
          st.lastPullFailAt = undefined;
          onPulled(info);
          return;
        }
        podEvent(rt, c, "Warning", "Failed", `Failed to pull image "${image}": ${result.error}`);
        podEvent(rt, c, "Warning", "Failed", "Error: ErrImagePull");
        journal.runtime("error", `PullImage "${image}" failed`, `error="${result.error.replace(/^rpc error: code = \w+ desc = /, "").replace(/"/g, '\\"')}"`);
        journal.write("E", "log.go:32", `"PullImage from image service failed" err="${result.error.replace(/"/g, '\\"')}" image="${image}"`);
        pullBackoff.next(key);
        st.lastPullFailAt = ctx.now();
        st.lastPullError = result.error;
        st.waiting = { reason: "ErrImagePull", message: result.error };
        writeStatus(rt);
        schedule(rt, RESYNC_DELAYS.plegMs);
      }),
    );
    writeStatus(rt);
    return undefined;
  }

  return {
    list: () => [...images.values()].map((i) => ({ ref: i.ref, id: `sha256:${i.id}`, digest: `sha256:${i.digest}`, size: i.size })),
    ensureImage,
    resetBackoff: () => pullBackoff.reset(),
    tag,
    push,
  };
}
