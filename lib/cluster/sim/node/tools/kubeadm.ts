import fs from "node:fs";
import { readCert } from "@/lib/cluster/sim/pki/x509";
import { CA_FILES, currentCertPem, KUBEADM_CERTS, renewKubeadmCert, RenewError, type CaName } from "../kubeadm-pki";
import { writeNodeFiles } from "../provision-node";
import type { NodeTool, NodeToolHost, ToolIo } from "./node-tool-host";
import { kubeadmDate, shortHumanDuration, tabwrite } from "./text-format";

/**
 * `kubeadm certs check-expiration` and `kubeadm certs renew <name>|all`, reading and writing the
 * node's real PKI. Renew re-issues from the node's CA and restarts nothing; the components pick
 * the new files up as their real counterparts do (the apiserver reloads its serving pair).
 */

function readFile(host: NodeToolHost) {
  return (p: string): string | null => {
    try {
      return fs.readFileSync(host.layout.host(p), "utf8");
    } catch {
      return null;
    }
  };
}

function configPreamble(phase: string, host: NodeToolHost, io: ToolIo): void {
  io.out(`[${phase}] Reading configuration from the cluster...\n`);
  io.out(`[${phase}] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'\n`);
  if (!host.apiReachable()) io.out(`[${phase}] Error reading configuration from the Cluster. Falling back to default configuration\n`);
}

function checkExpiration(host: NodeToolHost, io: ToolIo): number {
  const read = readFile(host);
  if (read(CA_FILES.ca.cert) === null) {
    io.err(`error execution phase check-expiration: failed to load existing certificate ca: open ${CA_FILES.ca.cert}: no such file or directory\nTo see the stack trace of this error execute with --v=5 or higher\n`);
    return 1;
  }
  configPreamble("check-expiration", host, io);
  io.out("\n");
  // Certificates are judged by real clients (kubectl, openssl) against the real clock, so their
  // residual time is too, even on a time-scaled sim.
  const now = Date.now();
  const rows: string[][] = [["CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED"]];
  const missing: string[] = [];
  for (const e of KUBEADM_CERTS) {
    const pem = currentCertPem(e, read);
    if (!pem) {
      missing.push(e.name);
      continue;
    }
    const notAfter = readCert(pem).notAfter;
    rows.push([e.name, kubeadmDate(notAfter), shortHumanDuration(notAfter.getTime() - now), e.ca, "no      "]);
  }
  io.out(tabwrite(rows, 10, 3));
  io.out("\n");
  const caRows: string[][] = [["CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED"]];
  for (const name of Object.keys(CA_FILES) as CaName[]) {
    const pem = read(CA_FILES[name].cert);
    if (!pem) continue;
    const notAfter = readCert(pem).notAfter;
    caRows.push([name, kubeadmDate(notAfter), shortHumanDuration(notAfter.getTime() - now), "no      "]);
  }
  io.out(tabwrite(caRows, 10, 3));
  for (const m of missing) io.err(`!MISSING! ${m}\n`);
  return 0;
}

async function renew(host: NodeToolHost, names: string[], io: ToolIo): Promise<number> {
  const valid = ["all", ...KUBEADM_CERTS.map((c) => c.name)];
  const target = names[0];
  if (!target || !valid.includes(target)) {
    io.err(
      target
        ? `error: unknown command "${target}" for "kubeadm certs renew"\nRun 'kubeadm certs renew --help' for usage.\n`
        : `Error: missing subcommand; "renew" is not meant to be run on its own\nTo see the stack trace of this error execute with --v=5 or higher\n`,
    );
    return 1;
  }
  configPreamble("renew", host, io);
  io.out("\n");
  const list = target === "all" ? KUBEADM_CERTS : KUBEADM_CERTS.filter((c) => c.name === target);
  const read = readFile(host);
  for (const e of list) {
    try {
      // Real time, not the sim clock: a scaled clock would issue certificates that real clients
      // reject as "not yet valid".
      const files = await renewKubeadmCert(e.name, read, new Date());
      writeNodeFiles(host.layout, files);
      io.out(`${e.renewText} renewed\n`);
    } catch (err) {
      if (err instanceof RenewError) {
        io.err(`${err.message}\nTo see the stack trace of this error execute with --v=5 or higher\n`);
        return 1;
      }
      throw err;
    }
  }
  if (target === "all") {
    io.out("\nDone renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.\n");
  }
  return 0;
}

export const kubeadm: NodeTool = async (host, req, io) => {
  const args = req.argv.filter((a) => !a.startsWith("--v=") && !a.startsWith("--config"));
  if (args[0] === "version") {
    io.out(`kubeadm version: &version.Info{Major:"1", Minor:"32", GitVersion:"v1.32.2", GitCommit:"67a30c0adcf52bd3f56ff0893ce19966be12991f", GitTreeState:"clean", BuildDate:"2025-02-12T21:24:52Z", GoVersion:"go1.23.6", Compiler:"gc", Platform:"linux/amd64"}\n`);
    return 0;
  }
  if (args[0] !== "certs") {
    io.err(`kubeadm ${args[0] ?? ""}: only "kubeadm certs check-expiration|renew" and "kubeadm version" are available on this simulated node\n`);
    return 1;
  }
  if (args[1] === "check-expiration") return checkExpiration(host, io);
  if (args[1] === "renew") return renew(host, args.slice(2), io);
  io.err(`Error: unknown command "${args[1] ?? ""}" for "kubeadm certs"\nRun 'kubeadm certs --help' for usage.\n`);
  return 1;
};
