import { rateLimiter } from "@/lib/server/rate-limit";
import { z } from "zod";
import { EXAM_MODES } from "@/lib/exams/define-exam";
import { examCatalogue } from "@/lib/exams/exam-catalogue";
import { startExamAttempt } from "@/lib/exams/start-exam-attempt";
import { services } from "@/lib/server/services";
import { bodyOf, labRoute } from "../labs/_lib/lab-route";

const schema = z.object({
  exam: z.string().min(1).max(100),
  mode: z.enum(EXAM_MODES).optional(),
});

// GET /api/exams – the blueprints a learner can start
export async function GET(req: Request): Promise<Response> {
  return labRoute(req, async () => Response.json(examCatalogue()));
}

// POST /api/exams – start an attempt (or resume the learner's live one of the same exam)
export async function POST(req: Request): Promise<Response> {
  return labRoute(req, async (user) => {
    const body = await bodyOf(req, schema);
    rateLimiter().take("exam-start", user.id);
    const r = await startExamAttempt(services().exams, { userId: user.id, exam: body.exam, mode: body.mode });
    return Response.json(r, { status: r.resumed ? 200 : 201 });
  });
}
