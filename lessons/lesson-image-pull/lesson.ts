import { defineLesson } from "@/lib/lessons/define-lesson";
import { podCheck, waitingReason, type LessonCheckFn } from "@/lib/lessons/lesson-checks";
import type { ScenarioContext } from "@/lib/scenarios/context";

const NS = "default";
const PULL_FAILURES = new Set(["ErrImagePull", "ImagePullBackOff"]);

/** Passes once the pod's container waits on a failed pull; the message quotes the kubelet's reason. */
function pullFails(name: string, reasons: Set<string> = PULL_FAILURES): LessonCheckFn {
  return podCheck({ namespace: NS, name, missing: `There is no pod ${name} yet.` }, (pod) => {
    const reason = waitingReason(pod, name);
    const message = pod.status.containerStatuses.find((c) => c.name === name)?.state?.waiting?.message;
    if (reason && reasons.has(reason)) return { ok: true, message: `${name} is ${reason}${message ? `: ${message}` : ""}` };
    return {
      ok: false,
      message: `${name} has not failed to pull yet (${reason ?? pod.status.phase ?? "Pending"}).`,
      detail: { actual: reason ?? pod.status.phase ?? "Pending", expected: [...reasons].join(" or ") },
    };
  });
}

async function run(ctx: ScenarioContext, argv: string[]): Promise<void> {
  const r = await ctx.kubectl(["-n", NS, "run", ...argv]);
  if (r.code !== 0) throw new Error(`kubectl run failed: ${r.stderr.trim()}`);
}

export default defineLesson({
  id: "lesson-image-pull",
  title: "Image pulls: policies and the errors they end in",
  summary: "Make the kubelet pull, not pull, and fail to pull, and learn to read ErrImagePull's text: not found, unauthorized, unreachable, unknown CA.",
  minutes: 15,
  cluster: { workers: 1 },
  images: ["nginx:1.27"],
  steps: [
    {
      id: "not-found",
      title: "A tag that does not exist",
      command: "kubectl run typo --image=nginx:1.27.9999",
      text: `Before it starts a container the **kubelet** makes sure the node has the image, according to \`imagePullPolicy\`. To pull,
it asks the runtime over CRI (\`PullImage\`); **containerd** resolves the reference (\`nginx:1.27.9999\` is
\`docker.io/library/nginx:1.27.9999\`) against the registry. This tag does not exist.

The pull fails with **ErrImagePull**; the kubelet then retries with a growing delay (10 s, 20 s, … up to 5 min), and between tries the
container waits in **ImagePullBackOff**. Neither is a pod phase: the pod stays **Pending**. The real reason is in the events
(\`kubectl describe pod typo\`), as containerd gave it:

\`Failed to pull image "nginx:1.27.9999": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.27.9999": failed to resolve reference "docker.io/library/nginx:1.27.9999": docker.io/library/nginx:1.27.9999: not found\``,
      check: pullFails("typo"),
      async solve(ctx) {
        await run(ctx, ["typo", "--image=nginx:1.27.9999"]);
      },
    },
    {
      id: "unauthorized",
      title: "A private repository, without credentials",
      command: "kubectl run private --image=registry.example.com/team/app:1.0",
      text: `This repository exists but needs a login. Without credentials the registry's token service answers **401**:

\`… failed to resolve reference "registry.example.com/team/app:1.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://registry.example.com/token?…: 401 Unauthorized\`

With wrong credentials it says \`failed to fetch oauth token\` instead. On Docker Hub a repository that does not exist answers like a
private one: \`pull access denied, repository does not exist or may require authorization\`. The fix is a
\`kubernetes.io/dockerconfigjson\` Secret (\`kubectl create secret docker-registry …\`) named in the pod's \`imagePullSecrets\`
(or its ServiceAccount's): the kubelet passes those credentials to containerd with the pull.`,
      check: pullFails("private"),
      async solve(ctx) {
        await run(ctx, ["private", "--image=registry.example.com/team/app:1.0"]);
      },
    },
    {
      id: "unreachable",
      title: "A registry that cannot be reached",
      command: "kubectl run far --image=registry.internal.example/app:1.0",
      text: `Here containerd cannot even talk to the registry. The end of the message says how it failed, from the node's point of view
(the node's DNS and network, not your laptop's):

| what went wrong | the end of the message |
| --- | --- |
| tag or repository not found | \`…: not found\` (code = NotFound) |
| no or wrong credentials | \`failed to authorize: … 401 Unauthorized\` |
| name does not resolve | \`dial tcp: lookup registry.internal.example on <resolver>:53: no such host\` |
| nothing listens | \`dial tcp <ip>:443: connect: connection refused\` |
| packets dropped (firewall, no route) | \`dial tcp <ip>:443: i/o timeout\` |
| registry's certificate from an unknown CA | \`tls: failed to verify certificate: x509: certificate signed by unknown authority\` |

The last one is fixed on the node, not in the pod: install the CA (or a \`hosts.toml\` under \`/etc/containerd/certs.d/<registry>/\`).`,
      check: pullFails("far"),
      async solve(ctx) {
        await run(ctx, ["far", "--image=registry.internal.example/app:1.0"]);
      },
    },
    {
      id: "never",
      title: "Pull policy Never",
      command: "kubectl run offline --image=nginx:1.28 --image-pull-policy=Never",
      text: `\`imagePullPolicy\` decides whether the kubelet pulls at all:

- **IfNotPresent** (the default for a tagged image): pull only when the node does not have it;
- **Always** (the default for \`:latest\` or no tag): ask the registry every time a container starts; layers already on the node are not downloaded again, but the registry must answer;
- **Never**: use what the node has, or fail.

This node has no \`nginx:1.28\`, so the container waits with **ErrImageNeverPull**:
\`Container image "nginx:1.28" is not present with pull policy of Never\`. No registry was asked.`,
      check: pullFails("offline", new Set(["ErrImageNeverPull"])),
      async solve(ctx) {
        await run(ctx, ["offline", "--image=nginx:1.28", "--image-pull-policy=Never"]);
      },
    },
    {
      id: "always",
      title: "Pull policy Always",
      command: "kubectl run fresh --image=nginx:1.27 --image-pull-policy=Always",
      text: `The node already has \`nginx:1.27\`, yet with **Always** the kubelet pulls: \`kubectl describe pod fresh\` shows
\`Pulling image "nginx:1.27"\` and \`Successfully pulled image "nginx:1.27" in …\`. That costs a registry round trip at every start,
and it makes a node depend on the registry being up: with Always, a registry outage stops restarts on every node. Pin tags (or
digests) and keep IfNotPresent unless the tag moves on purpose.`,
      check: podCheck({ namespace: NS, name: "fresh", missing: "There is no pod fresh yet." }, (pod) => {
        const policy = pod.spec.containers[0]?.imagePullPolicy;
        if (policy !== "Always") return { ok: false, message: `fresh's pull policy is ${policy ?? "unset"}.`, detail: { actual: policy ?? "unset", expected: "Always" } };
        return pod.status.phase === "Running"
          ? { ok: true, message: "fresh pulled nginx:1.27 again and is Running." }
          : { ok: false, message: `fresh is ${pod.status.phase ?? "Pending"}.`, detail: { actual: pod.status.phase ?? "Pending", expected: "Running" } };
      }),
      async solve(ctx) {
        await run(ctx, ["fresh", "--image=nginx:1.27", "--image-pull-policy=Always"]);
      },
    },
  ],
});
