// GET /api/health – liveness for the launcher and tests
export function GET(): Response {
  return Response.json({ ok: true });
}
