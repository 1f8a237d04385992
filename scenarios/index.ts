import type { RegistryEntry } from "@/lib/scenarios/load-scenarios";
import helloPod from "./hello-pod/scenario";

/**
 * The registry: every pack, listed explicitly. Add a pack by importing its scenario.ts here.
 */
export const registry: RegistryEntry[] = [{ slug: "hello-pod", pack: helloPod }];
