import { z } from "zod";
import { flagExamTask } from "@/lib/exams/flag-exam-task";
import { services } from "@/lib/server/services";
import { bodyOf, labRoute } from "../../../labs/_lib/lab-route";
import { examIdOf, type ExamRouteContext } from "../../_lib/exam-id";

const schema = z.object({ position: z.number().int().min(0).max(100), flagged: z.boolean() });

// POST /api/exams/:id/flag – flag a task to come back to, or clear its flag
export async function POST(req: Request, ctx: ExamRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const id = await examIdOf(ctx);
    const { position, flagged } = await bodyOf(req, schema);
    await flagExamTask(services().exams, id, user.id, position, flagged);
    return Response.json({ ok: true });
  });
}
