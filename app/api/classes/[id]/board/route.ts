import { classBoard } from "@/lib/classes/class-board";
import { loadClassForInstructor } from "@/lib/classes/load-class-for-instructor";
import { classIdOf } from "../../_lib/class-id";
import { services } from "@/lib/server/services";
import { labRoute, type LabRouteContext } from "../../../labs/_lib/lab-route";

// GET /api/classes/[id]/board – who is in which lab and how far (the class page polls it)
export async function GET(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const db = services().labs.db;
    const c = await loadClassForInstructor(db, user, await classIdOf(ctx));
    return Response.json({ rows: await classBoard(db, c.id), at: new Date().toISOString() }, { headers: { "cache-control": "no-store" } });
  });
}
