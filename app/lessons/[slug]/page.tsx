import { notFound } from "next/navigation";
import { LessonWorkspace } from "@/components/lesson/lesson-workspace";
import { getCatalogueStatus } from "@/lib/labs/catalogue-status";
import { getLabView } from "@/lib/labs/lab-view";
import { touchLab } from "@/lib/labs/touch-lab";
import { findLesson } from "@/lib/lessons/registry";
import { services } from "@/lib/server/services";
import { pageUser } from "../../_lib/page-user";

export const dynamic = "force-dynamic";

/** /lessons/<slug>: the lesson's steps, and the learner's live lab of it when there is one. */
export default async function LessonPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const found = findLesson(slug);
  if (!found) notFound();
  const { lesson } = found;
  const user = await pageUser();
  const liveLabId = (await getCatalogueStatus(services().labs, user.id)).get(lesson.id)?.liveLabId ?? null;
  const view = liveLabId ? await getLabView(services().labs, liveLabId, user.id) : null;
  if (liveLabId) await touchLab(services().labs, liveLabId);
  const info = {
    slug: lesson.id,
    title: lesson.title,
    summary: lesson.summary,
    minutes: lesson.minutes,
    steps: lesson.steps.map((s) => ({ id: s.id, title: s.title, text: s.text, command: s.command })),
  };
  return <LessonWorkspace key={view?.id ?? "not-started"} lesson={info} initial={view} />;
}
