import { z } from "zod";
import { joinClass } from "@/lib/classes/join-class";
import { services } from "@/lib/server/services";
import { bodyOf, labRoute } from "../../labs/_lib/lab-route";

const schema = z.object({ code: z.string().max(64) }).strict();

// POST /api/classes/join – the signed-in learner joins the class of a join code
export async function POST(req: Request): Promise<Response> {
  return labRoute(req, async (user) => {
    const { code } = await bodyOf(req, schema);
    return Response.json(await joinClass(services().labs.db, user.id, code));
  });
}
