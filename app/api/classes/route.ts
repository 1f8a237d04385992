import { z } from "zod";
import { createClass } from "@/lib/classes/create-class";
import { services } from "@/lib/server/services";
import { bodyOf, labRoute } from "../labs/_lib/lab-route";

const schema = z.object({ name: z.string().max(500) }).strict();

// POST /api/classes – an instructor creates a class; answers its id and join code
export async function POST(req: Request): Promise<Response> {
  return labRoute(req, async (user) => {
    const body = await bodyOf(req, schema);
    const c = await createClass(services().labs.db, user, body);
    return Response.json(c, { status: 201 });
  });
}
