import { notFound, redirect } from "next/navigation";
import { ExamWorkspace } from "@/components/exam/exam-workspace";
import { NotFoundError } from "@/lib/errors";
import { isLiveAttempt } from "@/lib/exams/attempt-states";
import { getExamView } from "@/lib/exams/exam-view";
import { services } from "@/lib/server/services";
import { pageUser } from "../../_lib/page-user";

export const dynamic = "force-dynamic";

export default async function ExamAttemptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await pageUser(`/exams/${id}`);
  const view = await getExamView(services().exams, id, user.id).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  if (!isLiveAttempt(view.state)) redirect(`/exams/${id}/results`);
  return <ExamWorkspace initial={view} />;
}
