import { classResults } from "@/lib/classes/class-results";
import { classResultsCsv } from "@/lib/classes/class-results-csv";
import { loadClassForInstructor } from "@/lib/classes/load-class-for-instructor";
import { services } from "@/lib/server/services";
import { labRoute, type LabRouteContext } from "../../../labs/_lib/lab-route";
import { classIdOf } from "../../_lib/class-id";

export const dynamic = "force-dynamic";

// GET /api/classes/[id]/results – the results grid as a CSV download (the class's instructor or an admin)
export async function GET(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const db = services().labs.db;
    const c = await loadClassForInstructor(db, user, await classIdOf(ctx));
    const slug = c.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "class";
    return new Response(classResultsCsv(c.name, await classResults(db, c.id)), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="breakfix-class-${slug}.csv"`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
