import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The house rules (../shared/DESIGN.md, "Rules of the house"), as import boundaries. Tests may
// cross them (a pack's test may start a driver); the code they test may not.
const TESTS = ["**/*.test.ts", "**/*.test.tsx", "**/testing/**", "**/testdata/**", "**/*-test-kit.ts", "**/fleet-test-fakes.ts"];
const DATABASE = { group: ["@/lib/db", "@/lib/generated/**", "@prisma/**"], message: "Only lib/labs, lib/grading, lib/auth and the composition root (lib/server/services.ts) reach the database." };
const DRIVERS = {
  group: ["@/lib/cluster/kind/**", "@/lib/cluster/sim/**", "@/lib/cluster/ssh/**", "@/lib/cluster/drivers", "@/lib/cluster/select-driver"],
  message: "Drivers are built in lib/server/services.ts and reached through the ClusterDriver interface (lib/cluster/types.ts).",
};
const restrict = (...patterns) => ["error", { patterns: patterns.map((p) => ({ allowTypeImports: false, ...p })) }];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // Packs see only the scenario SDK, so the same pack runs on every driver.
    files: ["scenarios/**/*.ts"],
    ignores: TESTS,
    rules: {
      "@typescript-eslint/no-restricted-imports": restrict(
        { group: ["@/lib/**", "!@/lib/scenarios", "!@/lib/scenarios/**"], message: "A pack imports only the scenario SDK (@/lib/scenarios/...)." },
        { group: ["next", "next/**", "@prisma/**", "@/components/**", "@/app/**", "node-pty", "ws"], message: "A pack imports only the scenario SDK (@/lib/scenarios/...)." },
      ),
    },
  },
  {
    // Lessons, like packs, see only the scenario SDK (plus defineLesson and its check helpers).
    files: ["lessons/**/*.ts"],
    ignores: TESTS,
    rules: {
      "@typescript-eslint/no-restricted-imports": restrict(
        {
          group: ["@/lib/**", "!@/lib/scenarios", "!@/lib/scenarios/**", "!@/lib/lessons", "@/lib/lessons/**", "!@/lib/lessons/define-lesson", "!@/lib/lessons/lesson-checks", "!@/lib/lessons/load-lessons"],
          message: "A lesson imports only the scenario SDK (@/lib/scenarios/...) and @/lib/lessons/define-lesson, lesson-checks (and load-lessons for the registry).",
        },
        { group: ["next", "next/**", "@prisma/**", "@/components/**", "@/app/**", "node-pty", "ws"], message: "A lesson imports only the scenario SDK." },
      ),
    },
  },
  {
    // The SDK never imports the packs, the labs, the database or a driver.
    files: ["lib/scenarios/**/*.ts"],
    ignores: TESTS,
    rules: {
      "@typescript-eslint/no-restricted-imports": restrict(
        { group: ["@/scenarios/**", "@/lib/packs/**"], message: "The scenario SDK does not import the packs; lib/packs does." },
        { group: ["@/lib/labs/**", "@/lib/terminal/**", "@/lib/server/**"], message: "The scenario SDK knows nothing of labs, terminals or the server." },
        DATABASE,
        DRIVERS,
      ),
    },
  },
  {
    // Drivers know nothing of scenarios, sessions or the database.
    files: ["lib/cluster/**/*.ts"],
    ignores: TESTS,
    rules: {
      "@typescript-eslint/no-restricted-imports": restrict(
        {
          group: ["@/lib/labs/**", "@/lib/scenarios/**", "@/lib/packs/**", "@/scenarios/**", "@/lib/grading/**", "@/lib/terminal/**", "@/lib/server/**", "@/lib/auth/**"],
          message: "lib/cluster knows nothing of labs, scenarios, grading, terminals or sessions.",
        },
        DATABASE,
      ),
    },
  },
  {
    // Pages and components hold no domain logic: no database, no drivers (types are fine).
    files: ["app/**/*.ts", "app/**/*.tsx", "components/**/*.ts", "components/**/*.tsx"],
    ignores: TESTS,
    rules: {
      "@typescript-eslint/no-restricted-imports": restrict(DATABASE, { ...DRIVERS, allowTypeImports: true }),
    },
  },
  { ignores: [".next/**", "node_modules/**", "lib/generated/**", ".data*/**", "e2e-artifacts/**", "next-env.d.ts"] },
];

export default config;
