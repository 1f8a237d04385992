/** The notepad holds scribbles, not files: a bound keeps one attempt's row small. Shared by the page and the route. */
export const NOTES_MAX_CHARS = 20_000;
