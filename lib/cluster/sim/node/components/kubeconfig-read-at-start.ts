import { hostPathOf, parseFlags, type ComponentContext } from "./component-context";

/**
 * A scheduler or controller-manager reads its --kubeconfig once, when the process starts, and
 * keeps the client certificate it found there in memory. client-go reloads a client certificate
 * only when the kubeconfig names certificate and key FILES (client-certificate / client-key:
 * transport's loadTLSFiles sets ReloadTLSFiles); kubeadm's scheduler.conf and
 * controller-manager.conf embed them (client-certificate-data), so a renewed file changes nothing
 * until the process restarts. That is why `kubeadm certs renew` says to restart the components.
 *
 * Returns the context with the kubeconfig (by its node path, through the container's mounts)
 * frozen as it was at start; every other file stays live (the apiserver's certificates, etc.).
 */
export function withKubeconfigAsAtStart(ctx: ComponentContext): ComponentContext {
  const { flags } = parseFlags(ctx.container.command.slice(1).concat(ctx.container.args));
  const kcPath = flags.get("kubeconfig");
  if (!kcPath) return ctx;
  const nodePath = hostPathOf(kcPath, ctx.container.volumeMounts, ctx.volumes);
  if (nodePath === null) return ctx;
  const atStart = ctx.fs.read(nodePath);
  const live = ctx.fs;
  return { ...ctx, fs: { read: (p) => (p === nodePath ? atStart : live.read(p)), isDir: (p) => live.isDir(p) } };
}
