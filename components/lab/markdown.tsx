import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

// Styles for the few elements briefs and solutions use; no raw HTML is rendered (react-markdown's default).
const components: Components = {
  h1: ({ children }) => <h2 className="text-xl font-semibold mt-2 mb-3">{children}</h2>,
  h2: ({ children }) => <h3 className="text-lg font-semibold mt-5 mb-2">{children}</h3>,
  h3: ({ children }) => <h4 className="font-semibold mt-4 mb-2">{children}</h4>,
  p: ({ children }) => <p className="my-2 leading-relaxed text-slate-300">{children}</p>,
  ul: ({ children }) => <ul className="my-2 ml-5 list-disc space-y-1 text-slate-300">{children}</ul>,
  ol: ({ children }) => <ol className="my-2 ml-5 list-decimal space-y-1 text-slate-300">{children}</ol>,
  a: ({ children, href }) => (
    <a href={href} className="text-amber-300 underline" target="_blank" rel="noreferrer">
      {children}
    </a>
  ),
  code: ({ children, className }) =>
    className ? (
      <code className={`${className} text-sm`}>{children}</code>
    ) : (
      <code className="rounded bg-slate-800 px-1 py-0.5 text-[0.85em] text-amber-200">{children}</code>
    ),
  pre: ({ children }) => <pre className="my-3 overflow-x-auto rounded bg-slate-900 border border-slate-800 p-3 text-sm">{children}</pre>,
  table: ({ children }) => <table className="my-3 text-sm border-collapse">{children}</table>,
  th: ({ children }) => <th className="border border-slate-700 bg-slate-800 px-2 py-1 text-left font-medium">{children}</th>,
  td: ({ children }) => <td className="border border-slate-800 px-2 py-1 text-slate-300">{children}</td>,
  blockquote: ({ children }) => <blockquote className="my-3 border-l-2 border-slate-600 pl-3 text-slate-400">{children}</blockquote>,
};

/** Renders a pack's brief.md or solution.md. */
export function MarkdownDoc({ text, label }: { text: string; label: string }) {
  return (
    <article aria-label={label} className="text-sm">
      <Markdown components={components} remarkPlugins={[remarkGfm]}>{text}</Markdown>
    </article>
  );
}
