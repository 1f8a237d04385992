import { randomUUID } from "node:crypto";
import os from "node:os";
import { KERNEL_VERSION } from "./kind-layout";
import type { NodeMachine } from "./node-object";

function hex(n: number): string {
  return randomUUID().replace(/-/g, "").repeat(2).slice(0, n);
}

/** A kind node container on a typical workstation (8 CPUs, 32 GiB), with fresh machine and boot ids. */
export function kindNodeMachine(): NodeMachine {
  return {
    cpu: "8",
    memory: "32827152Ki",
    ephemeralStorage: "263112772Ki",
    kernelVersion: KERNEL_VERSION,
    machineID: hex(32),
    systemUUID: randomUUID(),
    bootID: randomUUID(),
  };
}

/** The host the sim runs on (its CPUs, memory and kernel), with no machine or boot ids. */
export function hostNodeMachine(): NodeMachine {
  return {
    cpu: String(os.cpus().length || 2),
    memory: `${Math.floor(os.totalmem() / 1024)}Ki`,
    ephemeralStorage: "102626232Ki",
    kernelVersion: os.release(),
    machineID: "",
    systemUUID: "",
    bootID: "",
  };
}
