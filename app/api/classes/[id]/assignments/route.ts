import { z } from "zod";
import { addAssignment } from "@/lib/classes/add-assignment";
import { findExam } from "@/lib/exams/exam-registry";
import { findScenario } from "@/lib/packs/registry";
import { classIdOf } from "../../_lib/class-id";
import { services } from "@/lib/server/services";
import { bodyOf, labRoute, type LabRouteContext } from "../../../labs/_lib/lab-route";

// POST /api/classes/[id]/assignments – assign a pack or exam (lib/classes/assignment-input.ts validates the body)
export async function POST(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const classId = await classIdOf(ctx);
    const raw = await bodyOf(req, z.unknown());
    const a = await addAssignment(services().labs.db, user, classId, raw, {
      hasPack: (s) => findScenario(s) !== undefined,
      hasExam: (s) => findExam(s) !== undefined,
    });
    return Response.json({ id: a.id }, { status: 201 });
  });
}
