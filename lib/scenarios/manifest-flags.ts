/**
 * Line edits of a static-pod manifest's command flags. kubeadm writes one flag per line
 * (`    - --data-dir=/var/lib/etcd`); editing the line in place keeps the file exactly as kubeadm
 * formats it, so what a learner sees in `vi` or `diff` is the fault and nothing else.
 */

function flagLine(flag: string): RegExp {
  const name = flag.replace(/^--/, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^(\\s*)- --${name}(=.*)?$`);
}

/** The flag's value, "" for a bare flag, undefined when absent. */
export function getManifestFlag(manifest: string, flag: string): string | undefined {
  const re = flagLine(flag);
  for (const line of manifest.split("\n")) {
    const m = re.exec(line);
    if (m) return m[2] ? m[2].slice(1) : "";
  }
  return undefined;
}

/**
 * Sets `--flag=value`: replaces the flag's line, or adds a line after the last flag.
 *
 * @example
 * setManifestFlag(etcdYaml, "listen-client-urls", "https://172.18.0.2:2379")
 */
export function setManifestFlag(manifest: string, flag: string, value: string): string {
  const name = flag.replace(/^--/, "");
  const re = flagLine(name);
  const lines = manifest.split("\n");
  const at = lines.findIndex((l) => re.test(l));
  if (at >= 0) {
    const indent = re.exec(lines[at]!)![1]!;
    lines[at] = `${indent}- --${name}=${value}`;
    return lines.join("\n");
  }
  let last = -1;
  lines.forEach((l, i) => {
    if (/^\s*- --[a-z0-9-]+/.test(l)) last = i;
  });
  if (last < 0) throw new Error(`The manifest has no command flags to add --${name} next to.`);
  const indent = /^(\s*)-/.exec(lines[last]!)![1]!;
  lines.splice(last + 1, 0, `${indent}- --${name}=${value}`);
  return lines.join("\n");
}

/** Removes the flag's line; unchanged when absent. */
export function removeManifestFlag(manifest: string, flag: string): string {
  const re = flagLine(flag);
  return manifest
    .split("\n")
    .filter((l) => !re.test(l))
    .join("\n");
}
