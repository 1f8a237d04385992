import { rateLimiter } from "@/lib/server/rate-limit";
import { z } from "zod";
import { services } from "@/lib/server/services";
import { startLabSession } from "@/lib/labs/start-lab-session";
import { bodyOf, labRoute } from "./_lib/lab-route";

const schema = z.object({
  scenario: z.string().min(1).max(100),
  variant: z.string().min(1).max(100).optional(),
});

// POST /api/labs – start a lab (or resume the learner's live one); provisioning streams from /progress
export async function POST(req: Request): Promise<Response> {
  return labRoute(req, async (user) => {
    const body = await bodyOf(req, schema);
    rateLimiter().take("lab-start", user.id);
    const r = await startLabSession(services().labs, { userId: user.id, scenario: body.scenario, variant: body.variant });
    return Response.json(r, { status: r.resumed ? 200 : 201 });
  });
}
