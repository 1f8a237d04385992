import { randomBytes } from "node:crypto";

// Lower-case letters and digits without the look-alikes (0/o, 1/l/i): read aloud or typed from a slide.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
export const JOIN_CODE_LENGTH = 12;
export const JOIN_CODE_PATTERN = new RegExp(`^[${ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

/**
 * A class's join code: 12 symbols of a 31-letter alphabet (about 59 bits), so a link cannot be
 * guessed; rejection sampling keeps every symbol equally likely.
 */
export function newJoinCode(): string {
  let out = "";
  while (out.length < JOIN_CODE_LENGTH) {
    for (const b of randomBytes(16)) {
      if (b < 248 && out.length < JOIN_CODE_LENGTH) out += ALPHABET[b % ALPHABET.length];
    }
  }
  return out;
}
