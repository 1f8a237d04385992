import { expect, test } from "@playwright/test";
import { SHARED_LEARNER } from "../playwright.config";
import { HomePage } from "./pages/home-page";
import { SignInPage } from "./pages/sign-in-page";

// Runs in the "shared" project: a server in shared mode, seeded with one learner by `npm run user`.

test("shared mode: a visitor is sent to sign-in, signs in, sees the catalogue, signs out and is sent back", async ({ page, context }) => {
  const signIn = new SignInPage(page);
  const home = new HomePage(page);

  await page.goto("/history");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fhistory$/);
  expect((await page.request.get("/api/auth/me")).status()).toBe(401);

  await signIn.signIn(SHARED_LEARNER.email, "not the password");
  await expect(signIn.error).toContainText("The email or password is not right.");
  expect(await context.cookies()).toEqual([]);

  await signIn.goto();
  await signIn.signIn(SHARED_LEARNER.email, SHARED_LEARNER.password);
  await expect(page).toHaveURL(/\/$/);
  await expect(home.catalogue).toBeVisible();
  await expect(home.scenario("hello-pod")).toBeVisible();
  await expect(signIn.signedInAs).toContainText(`${SHARED_LEARNER.name} (learner)`);
  const [cookie] = (await context.cookies()).filter((c) => c.name === "breakfix_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", secure: false });
  await page.screenshot({ path: "e2e-artifacts/signed-in.png", fullPage: true });

  await signIn.signOut.click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(signIn.signedInAs).toHaveCount(0);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in\?next=%2F$/);
  // The old cookie value, replayed, names a revoked session.
  await context.addCookies([{ ...cookie!, expires: -1 }]);
  expect((await page.request.get("/api/auth/me")).status()).toBe(401);
});
