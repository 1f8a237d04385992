import { z } from "zod";
import { recordTaskFocus } from "@/lib/exams/task-focus";
import { services } from "@/lib/server/services";
import { bodyOf, labRoute } from "../../../labs/_lib/lab-route";
import { examIdOf, type ExamRouteContext } from "../../_lib/exam-id";

const schema = z.object({ position: z.number().int().min(0).max(100).nullable() });

// POST /api/exams/:id/focus – the task open on the exam page now (null: none); the server times it
export async function POST(req: Request, ctx: ExamRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const id = await examIdOf(ctx);
    const { position } = await bodyOf(req, schema);
    await recordTaskFocus(services().exams, id, user.id, position);
    return Response.json({ ok: true });
  });
}
