import type { ExamMode } from "./define-exam";
import { getExams } from "./exam-registry";

/** What the exams page lists; plain data. */
export interface ExamCatalogueEntry {
  slug: string;
  title: string;
  summary: string;
  minutes: number;
  passPercent: number;
  modes: ExamMode[];
  tasks: number;
}

export function examCatalogue(): ExamCatalogueEntry[] {
  return getExams().exams.map(({ slug, blueprint: b, taskCount }) => ({
    slug,
    title: b.title,
    summary: b.summary,
    minutes: b.minutes,
    passPercent: b.passPercent,
    modes: b.modes,
    tasks: taskCount,
  }));
}
