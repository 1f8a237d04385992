import { notFound, redirect } from "next/navigation";
import { LabWorkspace } from "@/components/lab/lab-workspace";
import { isInstructor } from "@/lib/auth/require-instructor";
import { instructorPanel } from "@/lib/instructor/instructor-panel";
import { NotFoundError } from "@/lib/errors";
import { liveAttemptOfLab } from "@/lib/exams/assert-lab-action";
import { services } from "@/lib/server/services";
import { getLabView } from "@/lib/labs/lab-view";
import { isLive } from "@/lib/labs/lab-states";
import { isLessonId } from "@/lib/lessons/define-lesson";
import { touchLab } from "@/lib/labs/touch-lab";
import { pageUser } from "../../_lib/page-user";

export const dynamic = "force-dynamic";

export default async function LabPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const { instructor: asked } = await searchParams;
  const user = await pageUser(`/labs/${id}`);
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
  // The panel shows the solution: only for an instructor, and only when asked (a preview).
  const panel = asked === "1" && isInstructor(user) ? await instructorPanel(services().labs, id, user.id) : undefined;
  return <LabWorkspace initial={view} instructor={panel} />;
}
