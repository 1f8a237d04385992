/**
 * crictl output from a real kubeadm node, for checks that read the container runtime.
 *
 * CRICTL_PS_A is `crictl ps -a` verbatim from ../shared/fidelity/real/crictl-ps-a.txt (node `vm`,
 * containerd 1.6, after the etcd listen-client-urls fault was fixed: etcd Running at attempt 2,
 * kube-apiserver Running at attempt 12 above its Exited attempt 11).
 * crictlInspect gives `crictl inspect <id>` in the shape crictl prints it (status with metadata,
 * state, RFC 3339 nano times, containerd's zero time for "not yet", labels the kubelet sets; info
 * abridged), filled in with a container of that table.
 */

export const CRICTL_PS_A = `CONTAINER           IMAGE               CREATED             STATE               NAME                      ATTEMPT             POD ID              POD
666b4843031d3       9a22dbe1c1ea5       4 minutes ago       Running             kube-apiserver            12                  2e4706bd6751f       kube-apiserver-vm
dfe123d33d05a       9a22dbe1c1ea5       4 minutes ago       Exited              kube-apiserver            11                  2e4706bd6751f       kube-apiserver-vm
329aff86eb6e2       e528af58c0ad2       4 minutes ago       Running             kube-controller-manager   6                   8b02de0aa3d28       kube-controller-manager-vm
f3ec535538bbb       7804b051dce61       4 minutes ago       Running             kube-scheduler            7                   f92e580b652b9       kube-scheduler-vm
e7dbf6d9feb32       91c449bb91313       9 minutes ago       Running             etcd                      2                   aba5a6c44a725       etcd-vm
1cc90d364847c       7804b051dce61       17 minutes ago      Exited              kube-scheduler            6                   f92e580b652b9       kube-scheduler-vm
b4caeabd48e1e       e528af58c0ad2       17 minutes ago      Exited              kube-controller-manager   5                   8b02de0aa3d28       kube-controller-manager-vm
aafcc16003b79       d7938944c6924       20 minutes ago      Running             main                      1                   be76e590a981d       sleeper
c7d76e6bb36c0       4fb5080abeb8a       20 minutes ago      Running             kube-proxy                1                   4c4514e258f31       kube-proxy-9cxvw
71deae3d9c713       91c449bb91313       20 minutes ago      Exited              etcd                      1                   428737d83736d       etcd-vm
c2d50805cf163       4fb5080abeb8a       22 minutes ago      Exited              kube-proxy                0                   6556ac04c2470       kube-proxy-9cxvw
2295cdf4bfe18       d7938944c6924       34 minutes ago      Exited              main                      0                   58bcf80a5f70d       sleeper
`;

/** The header and the rows of CRICTL_PS_A whose NAME matches `re`, as `crictl ps -a --name RE` prints them. */
export function crictlPsNamed(re: RegExp): string {
  const [header, ...rows] = CRICTL_PS_A.split("\n");
  const nameAt = header!.indexOf("NAME");
  const kept = rows.filter((r) => r !== "" && re.test(r.slice(nameAt).split(/\s+/)[0]!));
  return [header, ...kept, ""].join("\n");
}

export function crictlInspect(opts: { id: string; name: string; attempt: number; pod: string; podUid: string; sandboxId: string; state: "CONTAINER_RUNNING" | "CONTAINER_EXITED"; createdAt: string; startedAt: string; image: string; imageRef: string }): string {
  const finished = opts.state === "CONTAINER_EXITED" ? opts.startedAt : "0001-01-01T00:00:00Z";
  return `{
  "status": {
    "id": "${opts.id}",
    "metadata": {
      "attempt": ${opts.attempt},
      "name": "${opts.name}"
    },
    "state": "${opts.state}",
    "createdAt": "${opts.createdAt}",
    "startedAt": "${opts.startedAt}",
    "finishedAt": "${finished}",
    "exitCode": 0,
    "image": {
      "annotations": {},
      "image": "${opts.image}"
    },
    "imageRef": "${opts.imageRef}",
    "reason": "",
    "message": "",
    "labels": {
      "io.kubernetes.container.name": "${opts.name}",
      "io.kubernetes.pod.name": "${opts.pod}",
      "io.kubernetes.pod.namespace": "kube-system",
      "io.kubernetes.pod.uid": "${opts.podUid}"
    },
    "annotations": {
      "io.kubernetes.container.hash": "2f3d7c51",
      "io.kubernetes.container.restartCount": "${opts.attempt}",
      "io.kubernetes.container.terminationMessagePath": "/dev/termination-log",
      "io.kubernetes.container.terminationMessagePolicy": "File",
      "io.kubernetes.pod.terminationGracePeriod": "30"
    },
    "mounts": [],
    "logPath": "/var/log/pods/kube-system_${opts.pod}_${opts.podUid}/${opts.name}/${opts.attempt}.log"
  },
  "info": {
    "sandboxID": "${opts.sandboxId}",
    "pid": 41377
  }
}
`;
}
