import { getExamView } from "@/lib/exams/exam-view";
import { services } from "@/lib/server/services";
import { labRoute } from "../../labs/_lib/lab-route";
import { examIdOf, type ExamRouteContext } from "../_lib/exam-id";

// GET /api/exams/:id – the exam page's data (state, server deadline, tasks with weight, status and flag)
export async function GET(req: Request, ctx: ExamRouteContext): Promise<Response> {
  return labRoute(req, async (user) => Response.json(await getExamView(services().exams, await examIdOf(ctx), user.id)));
}
