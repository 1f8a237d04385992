import { z } from "zod";
import { manageClass } from "@/lib/classes/manage-class";
import { classIdOf } from "../_lib/class-id";
import { services } from "@/lib/server/services";
import { bodyOf, labRoute, type LabRouteContext } from "../../labs/_lib/lab-route";

const id = z.string().regex(/^[a-z0-9]{8,40}$/, "an id");
const schema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("remove-assignment"), assignmentId: id }).strict(),
  z.object({ op: z.literal("remove-member"), userId: id }).strict(),
  z.object({ op: z.literal("renew-join-code") }).strict(),
  z.object({ op: z.literal("archive") }).strict(),
  z.object({ op: z.literal("unarchive") }).strict(),
]);

// POST /api/classes/[id] – change a class the instructor teaches (remove an assignment or a member, renew the join link, archive)
export async function POST(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const classId = await classIdOf(ctx);
    const change = await bodyOf(req, schema);
    await manageClass(services().labs.db, user, classId, change);
    return Response.json({ ok: true });
  });
}
