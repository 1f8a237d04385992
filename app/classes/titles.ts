import { getExams } from "@/lib/exams/exam-registry";
import { catalogue } from "@/lib/packs/registry";

/** Titles of installed packs and blueprints by slug, for class pages (plain data). */
export function classTitles(): { packs: { slug: string; title: string }[]; exams: { slug: string; title: string }[]; bySlug: Record<string, string> } {
  const packs = catalogue().map((e) => ({ slug: e.slug, title: e.title }));
  const exams = getExams().exams.map((e) => ({ slug: e.slug, title: e.blueprint.title }));
  return { packs, exams, bySlug: Object.fromEntries([...packs, ...exams].map((x) => [x.slug, x.title])) };
}
