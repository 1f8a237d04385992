import path from "node:path";
import { getConfig } from "@/lib/config";
import { KIND_PINS } from "@/lib/cluster/kind/kind-pins";
import { pullImages } from "@/lib/cluster/kind/pull-images";
import { runCommand } from "@/lib/cluster/kind/run-command";
import { logger } from "@/lib/logger";
import { loadScenarios } from "@/lib/scenarios/load-scenarios";
import { registry } from "@/scenarios/index";

// npm run kind:prepull — while online, pulls the kindest/node image and every image the scenario
// packs declare, so that kind mode works offline afterwards (README, "kind mode").
const config = getConfig();
const { scenarios } = loadScenarios(registry, path.join(process.cwd(), "scenarios"));
const images = [...new Set([config.kind.nodeImage ?? KIND_PINS.nodeImage, ...scenarios.flatMap((s) => s.pack.images ?? [])])];
const r = await pullImages(runCommand, images, logger);
for (const i of r.present) console.log(`present  ${i}`);
for (const i of r.pulled) console.log(`pulled   ${i}`);
for (const f of r.failed) console.error(`FAILED   ${f.image}: ${f.error}`);
console.log(`\n${r.present.length + r.pulled.length}/${images.length} image(s) available locally`);
process.exit(r.failed.length ? 1 : 0);
