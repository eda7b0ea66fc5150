// The settings pages that reach Meta, in Chromium against the Meta sandbox: an admin pulls the templates
// from Meta, filters and previews them; connects a number with Embedded Signup through the sandbox's
// stand-in for Facebook's SDK and popup (cancelled once; then a PIN Meta refuses, said in words, and the
// pending number finished with the right one); and sets a number's pace and department.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { devAppId } from '../meta-sandbox/server.ts';
import { seedTemplates } from '../meta-sandbox/seed-templates.ts';
import { axeViolations } from '../support/axe.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { META_APP_SECRET } from '../support/edge.ts';
import { DEV_TENANT, owner, seedDepartment, seedUser, type SeededUser } from '../support/stack.ts';
import { launchChromium, openSignedIn } from '../support/web.ts';

let desk: Desk;
let browser: Browser;
let tenantId: string;
let admin: SeededUser;
let manager: SeededUser;

beforeAll(async () => {
  desk = await startDesk({ instanceId: 'settings-meta', web: true, api: { metaApp: { appId: devAppId, appSecret: META_APP_SECRET } } });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});
beforeEach(async () => {
  ({ tenantId } = await desk.reset());
  admin = await seedUser(tenantId, { email: 'bea@acme.test', name: 'Bea', role: 'admin' });
  manager = await seedUser(tenantId, { email: 'maya@acme.test', name: 'Maya', role: 'manager' });
});

const texts = (page: Page, testId: string) => page.getByTestId(testId).allTextContents();

/** Clicks a button of the signup popup that closes it: the close may cut the click's own wait short. */
async function clickClosing(popup: Page, selector: string): Promise<void> {
  await Promise.all([
    popup.waitForEvent('close'),
    popup.locator(selector).click().catch((error: unknown) => {
      if (!popup.isClosed()) throw error;
    }),
  ]);
}

describe('settings that reach Meta', () => {
  it('lets an admin pull the templates from Meta, filter them by status and category, and preview one filled in', async () => {
    const page = await openSignedIn(browser, desk.web!, admin);
    await page.goto(`${desk.web!.url}/settings/templates`);
    expect(await page.getByTestId('templates-empty').textContent()).toBe('No templates yet. An admin can get them from Meta.');

    await page.getByTestId('sync-templates').click();
    await page.getByTestId('sync-result').getByText(`Read ${seedTemplates.length} templates from Meta.`).waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="template-row"]').length === n, seedTemplates.length);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('templates-status').selectOption('PAUSED');
    expect(await texts(page, 'template-name')).toEqual(seedTemplates.filter((t) => t.status === 'PAUSED').map((t) => t.name));
    await page.getByTestId('templates-status').selectOption('');
    await page.getByTestId('templates-category').selectOption('AUTHENTICATION');
    expect(await texts(page, 'template-name')).toEqual(['login_code']);
    await page.getByTestId('templates-category').selectOption('');
    await page.getByTestId('templates-search').fill('welcome');
    expect(await texts(page, 'template-name')).toEqual(['welcome_offer']);

    await page.getByTestId('preview-template').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('template-preview');
    await page.getByLabel('first_name').fill('Lucía');
    expect(await page.getByTestId('preview-body').textContent()).toBe('Hello Lucía, enjoy {{discount}} off today.');
    expect(await texts(page, 'preview-button')).toEqual(['Stop promotions']);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();

    // A manager reads them but does not pull from Meta.
    const managing = await openSignedIn(browser, desk.web!, manager);
    await managing.goto(`${desk.web!.url}/settings/templates`);
    await managing.getByTestId('template-row').first().waitFor();
    expect(await managing.getByTestId('sync-templates').count()).toBe(0);
    await managing.close();
  });

  it('connects a number with Embedded Signup through the sandbox popup: cancelled, refused at registration, then finished', async () => {
    const page = await openSignedIn(browser, desk.web!, admin);
    await page.goto(`${desk.web!.url}/settings/numbers`);
    await page.getByTestId('number-row').waitFor();
    expect(await texts(page, 'number-digits')).toEqual([`+${DEV_TENANT.displayPhoneNumber}`]);
    expect(await axeViolations(page)).toEqual([]);

    // The PIN is asked first, and checked before Facebook opens.
    await page.getByTestId('connect-pin').fill('12345');
    await page.getByTestId('connect-number').click();
    expect(await page.locator('#connect-pin-error').textContent()).toBe('The PIN is six digits.');

    // Cancelled in the popup: nothing is connected, and the page says so.
    await page.getByTestId('connect-pin').fill('123456');
    let popup = await Promise.all([page.waitForEvent('popup'), page.getByTestId('connect-number').click()]).then(([p]) => p);
    await clickClosing(popup, '#cancel');
    await page.getByTestId('numbers-message').getByText('Connecting was cancelled in the Facebook window.').waitFor();
    expect(await page.getByTestId('number-row').count()).toBe(1);

    // The business set another two-step PIN on its number earlier: Meta refuses the registration.
    const business = { wabaId: '310000000000001', phoneNumberId: '320000000000001', businessId: '330000000000001' };
    desk.sandbox.issueSignupCode({ ...business, phoneNumberIds: [business.phoneNumberId] });
    desk.sandbox.updatePhoneNumber(business.phoneNumberId, { twoStepPin: '246810' });
    popup = await Promise.all([page.waitForEvent('popup'), page.getByTestId('connect-number').click()]).then(([p]) => p);
    await popup.locator('#business').fill(business.businessId);
    await popup.locator('#waba').fill(business.wabaId);
    await popup.locator('#number').fill(business.phoneNumberId);
    await clickClosing(popup, '#finish');
    await page.getByTestId('connect-error').waitFor();
    expect(await page.getByTestId('connect-error').textContent()).toBe(
      'Connecting stopped at “registering the number”. Meta said: Registering the number for the WhatsApp Cloud API failed: (#133005) Two step verification PIN Mismatch (Two-step verification PIN incorrect.)',
    );
    const pending = page.locator(`[data-testid="number-row"][data-phone-number-id="${business.phoneNumberId}"]`);
    expect(await pending.getByTestId('number-status').textContent()).toBe('Not finished');

    // Finishing it takes only the right PIN: the token from the first run was kept.
    await pending.getByTestId('open-retry').click();
    await pending.getByTestId('retry-pin').fill('246810');
    await pending.getByTestId('retry-pin').press('Enter');
    await pending.getByTestId('number-status').getByText('Connected').waitFor();
    expect(await owner()`select status from phone_numbers where phone_number_id = ${business.phoneNumberId} and tenant_id = ${tenantId}`).toEqual([{ status: 'connected' }]);

    // A fresh number, the way a business would: new ids from the popup, the PIN chosen here.
    await page.getByTestId('connect-pin').fill('135790');
    popup = await Promise.all([page.waitForEvent('popup'), page.getByTestId('connect-number').click()]).then(([p]) => p);
    const fresh = await popup.locator('#number').inputValue();
    await clickClosing(popup, '#finish');
    const row = page.locator(`[data-testid="number-row"][data-phone-number-id="${fresh}"]`);
    await row.getByTestId('number-status').getByText('Connected').waitFor();
    expect(await page.getByTestId('numbers-message').textContent()).toMatch(/^\+1555\d+ is connected\.$/);
    expect(await page.getByTestId('number-row').count()).toBe(3);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("lets an admin set a number's pace and the department its new conversations wait in, refusing a pace out of bounds", async () => {
    const billing = await seedDepartment(tenantId, { name: 'Billing' });
    const page = await openSignedIn(browser, desk.web!, admin);
    await page.goto(`${desk.web!.url}/settings/numbers`);
    const row = page.getByTestId('number-row');
    await row.waitFor();
    await row.getByTestId('number-pace-input').fill('5000');
    await row.getByTestId('save-number').click();
    expect(await row.getByTestId('number-error').textContent()).toBe('The pace is a whole number from 1 to 1000 messages a second.');
    await row.getByTestId('number-pace-input').fill('40');
    await row.getByTestId('number-department-select').selectOption({ label: 'Billing' });
    await row.getByTestId('save-number').click();
    await row.getByTestId('number-pace').getByText('40 messages a second').waitFor();
    expect(await row.getByTestId('number-department').textContent()).toBe('New conversations: Billing');
    expect(await owner()`select throughput_per_second, default_department_id from phone_numbers where tenant_id = ${tenantId}`).toEqual([
      { throughputPerSecond: 40, defaultDepartmentId: billing },
    ]);
    await page.close();

    // A manager sees the numbers but changes nothing, and cannot connect one.
    const managing = await openSignedIn(browser, desk.web!, manager);
    await managing.goto(`${desk.web!.url}/settings/numbers`);
    await managing.getByTestId('number-row').waitFor();
    expect(await managing.getByTestId('connect-form').count()).toBe(0);
    expect(await managing.getByTestId('save-number').count()).toBe(0);
    await managing.close();
  });
});
