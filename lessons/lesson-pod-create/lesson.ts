import { defineLesson } from "@/lib/lessons/define-lesson";
import { podCheck, podCondition, readPod, waitUntil } from "@/lib/lessons/lesson-checks";
import type { ScenarioContext } from "@/lib/scenarios/context";

const NS = "default";
const MANIFEST = "/root/lesson/web.yaml";

/** The pod the learner applies: it asks for a node label no node has yet, so the scheduler waits. */
const WEB_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  nodeSelector:
    disk: ssd
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
    readinessProbe:
      httpGet:
        path: /
        port: 80
      periodSeconds: 2
`;

const webRunning = podCheck({ namespace: NS, name: "web", missing: "There is no pod web yet: apply the manifest first." }, (pod) => {
  if (!pod.spec.nodeName) return { ok: false, message: "Pod web is Pending: no node has been chosen for it yet.", detail: { actual: "not bound", expected: "bound to a node" } };
  if (pod.status.phase !== "Running" || podCondition(pod, "Ready") !== "True")
    return { ok: false, message: `Pod web is bound to ${pod.spec.nodeName} and being started.`, detail: { actual: `phase ${pod.status.phase ?? "(none)"}`, expected: "Running and Ready" } };
  return { ok: true, message: `Pod web runs on ${pod.spec.nodeName} with IP ${pod.status.podIP ?? "?"} and is Ready.` };
});

async function endpointIps(ctx: ScenarioContext): Promise<string[] | null> {
  const r = await ctx.kubectl(["-n", NS, "get", "endpoints", "web", "-o", "jsonpath={.subsets[*].addresses[*].ip}"]);
  if (r.code !== 0) return null;
  return r.stdout.split(/\s+/).filter(Boolean);
}

export default defineLesson({
  id: "lesson-pod-create",
  title: "What happens when you create a pod",
  summary: "Follow one pod from the API write through admission, etcd, the scheduler's binding and the kubelet to a Ready endpoint.",
  minutes: 15,
  cluster: { workers: 1 },
  images: ["nginx:1.27", "busybox:1.36"],
  async setup(ctx) {
    await ctx.node(ctx.controlPlane).writeFile(MANIFEST, WEB_YAML);
  },
  steps: [
    {
      id: "write",
      title: "Write the pod to the API server",
      command: `kubectl apply -f ${MANIFEST}`,
      text: `Open \`${MANIFEST}\` first (\`cat ${MANIFEST}\`): a pod named **web** running nginx, which asks for a node labelled \`disk=ssd\`.

\`kubectl apply\` sends the object to the **API server** as an HTTPS \`POST /api/v1/namespaces/default/pods\`. The API server
**authenticates** you (your client certificate), **authorises** the request (RBAC: may this user create pods here?), fills in
**defaults** (\`imagePullPolicy\`, \`restartPolicy: Always\`, …), runs **mutating admission** (the ServiceAccount token volume,
the two 300 s tolerations), **validates** the result, and stores it in **etcd**. Only then does kubectl print \`pod/web created\`.

Nothing runs yet. \`kubectl get pod web -o wide\` shows it **Pending** with no NODE: a pod is first just a record.`,
      async check(ctx) {
        const pod = await readPod(ctx, NS, "web");
        if (!pod) return { ok: false, message: "There is no pod web yet.", detail: { actual: "no pod default/web", expected: "pod default/web" } };
        return { ok: true, message: `The API server stored pod web (phase ${pod.status.phase ?? "Pending"}).` };
      },
      async solve(ctx) {
        await ctx.apply(WEB_YAML);
      },
    },
    {
      id: "bind",
      title: "Give the scheduler a node it may use",
      command: "kubectl label nodes --all disk=ssd",
      text: `The **scheduler** watches for pods without \`spec.nodeName\`. For web it **filters** the nodes: the control plane has a
\`NoSchedule\` taint the pod does not tolerate, and no node has \`disk=ssd\`. \`kubectl describe pod web\` shows its verdict in a
\`FailedScheduling\` event (\`0/2 nodes are available: …\`). It retries whenever nodes change.

Label the nodes. Now the worker passes the filters; the scheduler **scores** the candidates and writes a **Binding**
(\`pods/web/binding\`), which sets \`spec.nodeName\`. The **kubelet** on that node sees a pod bound to it and asks the container
runtime (containerd, over **CRI**) for a **pod sandbox**: the pause container holding the pod's network namespace, whose IP the
**CNI** plugin (kindnet) assigns. Then it **pulls** the image if the node does not have it, **creates** and **starts** the
container, runs the **readiness probe**, and reports it all back in \`status\` (phase Running, \`Ready=True\`).

Watch it with \`kubectl get pod web -o wide -w\` (Ctrl-C to stop) and \`kubectl describe pod web\` (Events: Scheduled, Pulled, Created, Started).`,
      check: webRunning,
      async solve(ctx) {
        const r = await ctx.kubectl(["label", "nodes", "--all", "disk=ssd", "--overwrite"]);
        if (r.code !== 0) throw new Error(`kubectl label failed: ${r.stderr.trim()}`);
        await waitUntil(ctx, webRunning, { what: "pod web to be Running and Ready" });
      },
    },
    {
      id: "expose",
      title: "Put it behind a Service",
      command: "kubectl expose pod web --port=80",
      text: `A **Service** is a stable name and virtual IP in front of pods chosen by labels (\`app=web\`, copied from the pod by
\`kubectl expose\`). The **endpoints controller** (in kube-controller-manager) lists the pods that match **and are Ready**
and writes their IPs into the Endpoints (and EndpointSlice) object; kube-proxy turns that into forwarding rules on every node.

\`kubectl get endpoints web\` shows the pod's IP and port. A pod that is Running but not Ready would not be listed: readiness is
what decides whether a pod gets traffic.`,
      async check(ctx) {
        const ips = await endpointIps(ctx);
        if (ips === null) return { ok: false, message: "There is no Service web yet.", detail: { actual: "no endpoints default/web", expected: "endpoints with the pod's IP" } };
        const pod = await readPod(ctx, NS, "web");
        if (!pod?.status.podIP || !ips.includes(pod.status.podIP))
          return { ok: false, message: "Service web exists but does not list the pod's IP yet.", detail: { actual: ips.join(", ") || "no addresses", expected: pod?.status.podIP ?? "the pod's IP" } };
        return { ok: true, message: `Service web sends traffic to ${ips.join(", ")}.` };
      },
      async solve(ctx) {
        const r = await ctx.kubectl(["-n", NS, "expose", "pod", "web", "--port=80"]);
        if (r.code !== 0) throw new Error(`kubectl expose failed: ${r.stderr.trim()}`);
      },
    },
    {
      id: "reach",
      title: "Reach it through the Service",
      command: "kubectl run client --image=busybox:1.36 --restart=Never -- wget -qO- http://web",
      text: `A second pod, **client**, goes the same way (API, scheduler, kubelet, sandbox, CNI) and runs \`wget\` once. Inside it,
**CoreDNS** answers the name \`web\` (\`web.default.svc.cluster.local\`) with the Service's ClusterIP, and kube-proxy's rules send
the connection to the pod's IP. \`--restart=Never\` means that when wget exits 0 the pod ends **Succeeded** (kubectl shows
\`Completed\`) instead of being restarted.

Read what it got with \`kubectl logs client\`: nginx's welcome page.`,
      check: podCheck({ namespace: NS, name: "client", missing: "There is no pod client yet." }, (pod) =>
        pod.status.phase === "Succeeded"
          ? { ok: true, message: "client fetched the page through the Service and Completed." }
          : { ok: false, message: `client is ${pod.status.phase ?? "Pending"}.`, detail: { actual: `phase ${pod.status.phase ?? "(none)"}`, expected: "phase Succeeded" } },
      ),
      async solve(ctx) {
        const r = await ctx.kubectl(["-n", NS, "run", "client", "--image=busybox:1.36", "--restart=Never", "--", "wget", "-qO-", "http://web"]);
        if (r.code !== 0) throw new Error(`kubectl run failed: ${r.stderr.trim()}`);
      },
    },
  ],
});
