import { test as base, type APIRequestContext, type Response } from "@playwright/test";
import { LabPage } from "./lab-page";

/**
 * `lab`: the lab page object. Every lab a test opens is given up afterwards if it is still live,
 * so a failed test never leaves a lab that the next test would resume.
 */
export const test = base.extend<{ lab: LabPage; opened: string[] }>({
  opened: async ({ request }, provide) => {
    const ids: string[] = [];
    await provide(ids);
    await giveUpAll(request, ids);
  },
  lab: async ({ page, opened }, provide) => {
    const lab = new LabPage(page);
    const start = lab.startFromCatalogue.bind(lab);
    lab.startFromCatalogue = async (slug, query) => {
      const r = await start(slug, query);
      if (r.id) opened.push(r.id);
      return r;
    };
    await provide(lab);
  },
});

async function giveUpAll(request: APIRequestContext, ids: string[]): Promise<void> {
  for (const id of ids) await request.post(`/api/labs/${id}/give-up`).catch(() => undefined);
}

/**
 * Why a lab could not start, when the reason is a missing dependency of this build (the sim
 * driver not registered yet) rather than a bug: the test is then skipped with that reason.
 */
export async function missingDependency(response: Response | null): Promise<string | null> {
  if (!response || response.ok()) return null;
  const text = await response.text();
  if (response.status() === 501 || /not built yet/.test(text)) return skipUnlessCi(`the lab could not start in this build: ${text}`);
  return null;
}

/**
 * A skip reason outside CI; in CI (where .ci/run installs everything) the same reason fails the
 * test, so a missing dependency cannot pass as a skipped test.
 */
export function skipUnlessCi(reason: string | null): string | null {
  if (reason !== null && process.env.CI === "true") throw new Error(`${reason} (in CI this fails instead of skipping)`);
  return reason;
}

export const TERMINAL_MISSING = "the terminal component (components/terminal TerminalTabs) is not wired into the lab page in this build";
