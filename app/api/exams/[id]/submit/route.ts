import { submitExamAttempt } from "@/lib/exams/submit-exam-attempt";
import { services } from "@/lib/server/services";
import { labRoute } from "../../../labs/_lib/lab-route";
import { examIdOf, type ExamRouteContext } from "../../_lib/exam-id";

// POST /api/exams/:id/submit – hand in: every task is graded now and the attempt ends
export async function POST(req: Request, ctx: ExamRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    await submitExamAttempt(services().exams, await examIdOf(ctx), user.id);
    return Response.json({ ok: true });
  });
}
