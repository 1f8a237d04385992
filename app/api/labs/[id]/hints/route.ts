import { z } from "zod";
import { assertLabAction } from "@/lib/exams/assert-lab-action";
import { services } from "@/lib/server/services";
import { revealHint } from "@/lib/labs/reveal-hint";
import { bodyOf, labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";

const schema = z.object({ index: z.number().int().min(0).max(100) });

// POST /api/labs/:id/hints – reveal one hint (its cost comes off the score)
export async function POST(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const id = await labIdOf(ctx);
    await assertLabAction(services().exams, id, user.id, "hint");
    const { index } = await bodyOf(req, schema);
    return Response.json(await revealHint(services().labs, id, user.id, index));
  });
}
