import { notFound, redirect } from "next/navigation";
import { LabWorkspace } from "@/components/lab/lab-workspace";
import { NotFoundError } from "@/lib/errors";
import { liveAttemptOfLab } from "@/lib/exams/assert-lab-action";
import { services } from "@/lib/server/services";
import { getLabView } from "@/lib/labs/lab-view";
import { isLive } from "@/lib/labs/lab-states";
import { isLessonId } from "@/lib/lessons/define-lesson";
import { touchLab } from "@/lib/labs/touch-lab";
import { pageUser } from "../../_lib/page-user";

export const dynamic = "force-dynamic";

export default async function LabPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await pageUser();
  // A task of a running exam is worked on in the exam page, under the exam's rules.
  const attemptId = await liveAttemptOfLab(services().exams, id, user.id);
  if (attemptId) redirect(`/exams/${attemptId}`);
  const view = await getLabView(services().labs, id, user.id).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  // A live lesson is followed on its lesson page, which shows its steps beside the terminals.
  if (isLessonId(view.scenario.slug) && isLive(view.state)) redirect(`/lessons/${view.scenario.slug}`);
  await touchLab(services().labs, id);
  return <LabWorkspace initial={view} />;
}
