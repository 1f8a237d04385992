import { z } from "zod";
import { saveExamNotes } from "@/lib/exams/exam-notes";
import { NOTES_MAX_CHARS } from "@/lib/exams/notes-limit";
import { services } from "@/lib/server/services";
import { bodyOf, labRoute } from "../../../labs/_lib/lab-route";
import { examIdOf, type ExamRouteContext } from "../../_lib/exam-id";

const schema = z.object({ text: z.string().max(NOTES_MAX_CHARS) });

// POST /api/exams/:id/notes – save the notepad of a running attempt (wiped when it ends)
export async function POST(req: Request, ctx: ExamRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const id = await examIdOf(ctx);
    const { text } = await bodyOf(req, schema);
    await saveExamNotes(services().exams, id, user.id, text);
    return Response.json({ ok: true });
  });
}
