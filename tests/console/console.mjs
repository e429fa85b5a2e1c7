// console.mjs - drives the console (GET /console) in Debian's chromium with
// playwright-core, through connect -> list -> filter -> sort -> page -> open
// -> start -> contacts refresh -> stop, and checks at each step that what
// the page shows is what the public API answers to the same request (made
// here again from Node with the same token).  A screenshot of each step goes
// to CONSOLE_OUT.
//
// Environment:
//   CONSOLE_BASE      http://127.0.0.1:PORT (only 127.0.0.1 is accepted)
//   CONSOLE_TOKEN, CONSOLE_ACCOUNT, CONSOLE_STREAM   the tenant's credentials
//   CONSOLE_CAMPAIGN  name of a Ready voice campaign with contacts to run
//   CONSOLE_OUT       folder for the screenshots (created)
//   CONSOLE_BROWSER   the browser (default /usr/bin/chromium)
// Exit status 0 when every check passed; the failing check is printed else.
import {chromium} from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const BASE = process.env.CONSOLE_BASE;
const TOKEN = process.env.CONSOLE_TOKEN;
const ACCOUNT = process.env.CONSOLE_ACCOUNT;
const STREAM = process.env.CONSOLE_STREAM;
const RUN_NAME = process.env.CONSOLE_CAMPAIGN ?? 'Service Renewal Outreach Campaign6';
const OUT = process.env.CONSOLE_OUT;
const BROWSER = process.env.CONSOLE_BROWSER ?? '/usr/bin/chromium';
const STEP_MS = 15000;     // one action and its answers
const WATCH_MS = 40000;    // the contacts view changing by itself
const TOTAL_MS = 180000;   // the whole run

for (const [k, v] of Object.entries({BASE, TOKEN, ACCOUNT, STREAM, OUT}))
    if (!v)
        throw new Error(`CONSOLE_${k} is not set`);
const origin = new URL(BASE);
if (origin.hostname !== '127.0.0.1')
    throw new Error(`CONSOLE_BASE must be on 127.0.0.1, not ${origin.hostname}`);
fs.mkdirSync(OUT, {recursive: true});

const hardStop = setTimeout(() => {
    console.error(`console test: over ${TOTAL_MS / 1000} s in all, giving up`);
    process.exit(2);
}, TOTAL_MS);

// ---- the API from Node ---------------------------------------------------------

const B = `/campaign/api/v2/public/${STREAM}/campaign`;

async function api(method, p, query = {}, body = undefined, token = TOKEN) {
    const params = new URLSearchParams({accountId: ACCOUNT, ...query});
    const headers = {auth: token, iid: STREAM, accountId: ACCOUNT};
    if (body !== undefined)
        headers['Content-Type'] = 'application/json';
    const r = await fetch(`${BASE}${B}${p}?${params}`, {method, headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(STEP_MS)});
    return {status: r.status, json: await r.json()};
}

async function apiOk(...args) {
    const r = await api(...args);
    assert.ok(r.status >= 200 && r.status < 300, `API ${args[0]} ${args[1]}: ${r.status} ` +
        JSON.stringify(r.json));
    return r.json;
}

const listApi = (body) => apiOk('POST', '/getAllCampaignDetails', {}, body);
const idOf = (c) => c._id ?? c.id;

// ---- page helpers ----------------------------------------------------------------

let shot = 0;
async function screenshot(page, name) {
    shot++;
    const file = path.join(OUT, `${String(shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({path: file, fullPage: true, timeout: STEP_MS});
    console.log(`step ${name}: ok (${path.basename(file)})`);
}

// Retries check() until it stops throwing, for at most ms.
async function until(check, ms = STEP_MS, what = 'condition') {
    const deadline = Date.now() + ms;
    for (;;) {
        try {
            return await check();
        } catch (err) {
            if (Date.now() > deadline) {
                err.message = `${what}: still failing after ${ms} ms: ${err.message}`;
                throw err;
            }
        }
        await new Promise((r) => setTimeout(r, 150));
    }
}

const text = (page, testid) => page.getByTestId(testid).first().textContent({timeout: STEP_MS});

// Runs action and returns the Get All Campaigns body the page sent for it.
async function listRequest(page, action, token = TOKEN) {
    const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/getAllCampaignDetails') &&
            r.request().method() === 'POST', {timeout: STEP_MS}),
        action(),
    ]);
    const req = resp.request();
    const h = await req.allHeaders();
    assert.equal(h.auth, token, 'the page sends the token in the auth header');
    assert.equal(h.iid, STREAM);
    assert.equal(h.accountid, ACCOUNT);
    assert.equal(new URL(req.url()).searchParams.get('accountId'), ACCOUNT);
    return req.postDataJSON();
}

// The body the page sent must be the expected one, key order of sortBy
// included (contract §3: several keys sort in the order given).
function assertBody(sent, expected) {
    assert.deepEqual(sent, expected, 'the listing request the page sent');
    assert.deepEqual(Object.keys(sent.sortBy ?? {}), Object.keys(expected.sortBy ?? {}),
        'sortBy key order');
}

// What the page's campaign table shows must equal the API's answer to body.
async function assertListShows(page, body) {
    const answer = await listApi(body);
    const data = answer.data;
    await until(async () => {
        const rows = await page.$$eval('[data-testid="row"]', (trs) => trs.map((tr) => ({
            id: tr.dataset.id,
            name: tr.querySelector('[data-testid="open"]').textContent,
            status: tr.querySelector('.badge').textContent,
        })));
        assert.deepEqual(rows, data.results.map((c) => ({id: idOf(c), name: c.name, status: c.status})));
        const totals = await text(page, 'totals');
        const first = data.results.length ? data.skip + 1 : 0;
        assert.ok(totals.startsWith(`${data.totalResults} `), totals);
        assert.ok(totals.includes(`showing ${first}–${data.skip + data.results.length}`), totals);
        assert.ok(totals.includes(`page ${body.page} of ${data.totalPages}`), totals);
        assert.equal(await page.getByTestId('next').isDisabled(), !data.hasMore, 'Next enabled iff hasMore');
        assert.equal(await page.getByTestId('prev').isDisabled(), body.page <= 1, 'Previous');
    }, STEP_MS, `listing ${JSON.stringify(body)}`);
    return data;
}

async function contactsShown(page) {
    return page.$$eval('[data-testid="contact"]', (trs) => trs.map((tr) => {
        const td = tr.querySelectorAll('td');
        return {phoneNumber: td[0].textContent, dialerOutcome: td[2].textContent,
            numberOfAttemptsSoFar: Number(td[3].textContent)};
    }));
}

const refreshes = async (page) => Number(await text(page, 'contacts-refreshes'));

// ---- the walk ------------------------------------------------------------------

async function walk(page) {
    await page.goto(`${BASE}/console`, {timeout: STEP_MS});
    assert.equal(await page.title(), 'campaignd console');

    // connect with a bad token: the error body's message and fields are shown
    await page.getByTestId('token').fill('not-a-jwt');
    await page.getByTestId('account').fill(ACCOUNT);
    await page.getByTestId('stream').fill(STREAM);
    await listRequest(page, () => page.getByTestId('connect').click(), 'not-a-jwt');
    const bad = await api('POST', '/getAllCampaignDetails', {}, {type: 'voice', limit: 10, page: 1},
        'not-a-jwt');
    assert.equal(bad.status, 401);
    await until(async () => {
        const title = await text(page, 'error-title');
        assert.ok(title.includes(`401 — ${bad.json.message}`), title);
        const items = await page.getByTestId('error-list').locator('li').allTextContents();
        assert.deepEqual(items, bad.json.errors.map((e) => (e.field ? `${e.field}: ` : '') + e.msg));
    });
    assert.ok(await page.getByTestId('list').isHidden(), 'no listing without a valid token');
    await screenshot(page, 'connect-error');

    // list: the default voice listing
    await page.getByTestId('token').fill(TOKEN);
    let body = await listRequest(page, () => page.getByTestId('connect').click());
    assertBody(body, {type: 'voice', limit: 10, page: 1});
    const all = await assertListShows(page, body);
    assert.ok(all.totalResults >= 2, 'the tenant has voice campaigns');
    assert.ok(await page.getByTestId('error').isHidden(), 'the error is gone');
    assert.equal(await page.evaluate(() => sessionStorage.length), 1, 'kept in session storage');
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in local storage');
    await screenshot(page, 'list');

    // filter: dialing mode, status and a date range
    await page.getByTestId('dialingMode-Preview').check();
    await page.getByTestId('status-Ready').check();
    await page.getByTestId('start-date').fill('2025-12-05T00:00:00');
    await page.getByTestId('end-date').fill('2025-12-31T23:59:59');
    body = await listRequest(page, () => page.getByTestId('apply').click());
    assertBody(body, {type: 'voice', limit: 10, page: 1, startDate: '2025-12-05T00:00:00.000Z',
        endDate: '2025-12-31T23:59:59.000Z',
        filters: {status: ['Ready'], dialingMode: ['Preview']}});
    const filtered = await assertListShows(page, body);
    assert.ok(filtered.totalResults > 0 && filtered.totalResults < all.totalResults,
        `the filters narrow the listing (${filtered.totalResults} of ${all.totalResults})`);
    await screenshot(page, 'filter');

    // sort: SMS by name, then by creation, newest first
    await listRequest(page, () => page.getByTestId('clear').click());
    await listRequest(page, () => page.getByTestId('type-sms').check());
    await page.getByTestId('sort1').selectOption('name');
    await page.getByTestId('order1').selectOption('asc');
    await page.getByTestId('sort2').selectOption('createdAt');
    await page.getByTestId('order2').selectOption('desc');
    body = await listRequest(page, () => page.getByTestId('apply').click());
    assertBody(body, {type: 'sms', limit: 10, page: 1, sortBy: {name: 'asc', createdAt: 'desc'}});
    const sorted = await assertListShows(page, body);
    const fold = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
    const names = sorted.results.map((c) => fold(c.name));
    assert.deepEqual(names, [...names].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 :
        Buffer.from(a) > Buffer.from(b) ? 1 : 0)), 'names in contract §3 order');
    assert.ok(await page.getByTestId('dialingMode-Preview').isDisabled(), 'dialing mode is voice only');
    await screenshot(page, 'sort');

    // page: three a page, forward to the end and one back
    await page.getByTestId('limit').selectOption('3');
    body = await listRequest(page, () => page.getByTestId('apply').click());
    assertBody(body, {type: 'sms', limit: 3, page: 1, sortBy: {name: 'asc', createdAt: 'desc'}});
    const p1 = await assertListShows(page, body);
    assert.ok(p1.totalPages >= 2, 'more than one page of SMS campaigns');
    let pageNo = 1;
    while (!(await page.getByTestId('next').isDisabled())) {
        body = await listRequest(page, () => page.getByTestId('next').click());
        pageNo++;
        assertBody(body, {type: 'sms', limit: 3, page: pageNo, sortBy: {name: 'asc', createdAt: 'desc'}});
        await assertListShows(page, body);
        if (pageNo === 2)
            await screenshot(page, 'page-2');
    }
    assert.equal(pageNo, p1.totalPages, 'Next stops at the last page');
    body = await listRequest(page, () => page.getByTestId('prev').click());
    assert.equal(body.page, pageNo - 1);
    await assertListShows(page, body);

    // open: the voice campaign to run
    await listRequest(page, () => page.getByTestId('type-voice').check());
    await page.getByTestId('limit').selectOption('10');
    await page.getByTestId('sort1').selectOption('');
    await page.getByTestId('sort2').selectOption('');
    body = await listRequest(page, () => page.getByTestId('apply').click());
    const voice = await assertListShows(page, body);
    const target = voice.results.find((c) => c.name === RUN_NAME);
    assert.ok(target, `${RUN_NAME} is in the voice listing`);
    const cid = idOf(target);
    await page.locator(`[data-testid="open"][data-id="${cid}"]`).click({timeout: STEP_MS});
    const doc = (await apiOk('GET', `/${cid}`)).data;
    assert.equal(doc.status, 'Ready', 'the campaign to run starts Ready');
    await until(async () => {
        assert.equal(await text(page, 'detail-name'), doc.name);
        assert.equal(await text(page, 'detail-id'), doc._id);
        assert.equal(await text(page, 'detail-status'), doc.status);
        assert.deepEqual(JSON.parse(await text(page, 'doc-raw')), doc);
        const keys = await page.$$eval('[data-testid="doc"] dt', (dts) => dts.map((d) => d.textContent));
        assert.deepEqual(keys, Object.keys(doc));
        assert.equal(await page.getByTestId('start').isDisabled(), false);
        assert.equal(await page.getByTestId('stop').isDisabled(), true);
        assert.ok(await refreshes(page) >= 1, 'the contacts view is shown');
    });
    const before = await apiOk('POST', `/${cid}/status`, {view: 'contacts'}, {page: 1, limit: 10});
    assert.equal(Number(await page.getByTestId('contacts-totals').getAttribute('data-total-results')),
        before.data.totalResults);
    assert.ok(before.data.totalResults > 10, 'the campaign has more than a page of contacts');
    await screenshot(page, 'open');

    // start
    await page.getByTestId('start').click({timeout: STEP_MS});
    await until(async () => {
        assert.ok((await text(page, 'action-result')).startsWith('Campaign Started'));
        const now = (await apiOk('GET', `/${cid}`)).data;
        assert.equal(now.status, 'Active', 'the API says Active');
        assert.equal(await text(page, 'detail-status'), now.status);
        assert.equal(JSON.parse(await text(page, 'doc-raw')).campaignInstanceId, now.campaignInstanceId);
        assert.equal(await page.getByTestId('stop').isDisabled(), false);
    });
    await screenshot(page, 'start');

    // contacts: the view refreshes by itself while the campaign runs
    const n0 = await refreshes(page);
    const first = await contactsShown(page);
    await until(async () => {
        assert.ok(await refreshes(page) >= n0 + 2, 'refreshed twice since');
        const now = await contactsShown(page);
        assert.equal(now.length, 10);
        assert.ok(now.filter((r) => r.dialerOutcome !== 'Pending').length >
            first.filter((r) => r.dialerOutcome !== 'Pending').length,
            'more outcomes than at the start');
    }, WATCH_MS, 'the contacts view filling in');
    await screenshot(page, 'contacts');

    // stop
    await page.getByTestId('stop').click({timeout: STEP_MS});
    await until(async () => {
        assert.ok((await text(page, 'action-result')).startsWith('Campaign Stopped'));
        const now = (await apiOk('GET', `/${cid}`)).data;
        assert.equal(now.status, 'Stopped');
        assert.equal(await text(page, 'detail-status'), 'Stopped');
        assert.equal(await page.getByTestId('stop').isDisabled(), true);
        assert.equal(await page.getByTestId('start').isDisabled(), false);
        const row = page.locator(`[data-testid="row"][data-id="${cid}"] .badge`);
        assert.equal(await row.textContent({timeout: STEP_MS}), 'Stopped', 'the listing row too');
    });
    // once stopped, a refresh shows exactly the API's contacts page
    await until(async () => {
        const n = await refreshes(page);
        const api1 = (await apiOk('POST', `/${cid}/status`, {view: 'contacts'}, {page: 1, limit: 10})).data;
        await until(async () => assert.ok(await refreshes(page) > n), STEP_MS, 'one more refresh');
        const api2 = (await apiOk('POST', `/${cid}/status`, {view: 'contacts'}, {page: 1, limit: 10})).data;
        assert.deepEqual(api1, api2, 'settled');
        assert.deepEqual(await contactsShown(page), api2.results.map((r) => ({
            phoneNumber: r.phoneNumber, dialerOutcome: r.dialerOutcome,
            numberOfAttemptsSoFar: r.numberOfAttemptsSoFar})));
    }, WATCH_MS, 'the contacts view after the stop');
    await screenshot(page, 'stop');
}

async function main() {
    const browser = await chromium.launch({executablePath: BROWSER, headless: true,
        args: ['--no-sandbox'], timeout: STEP_MS});
    const outside = [];
    const pageErrors = [];
    try {
        const context = await browser.newContext({viewport: {width: 1440, height: 1000}});
        // nothing may be fetched from anywhere but the server under test
        await context.route('**/*', (route) => {
            const u = new URL(route.request().url());
            if (u.origin === origin.origin)
                return route.continue();
            outside.push(u.href);
            return route.abort();
        });
        const page = await context.newPage();
        page.setDefaultTimeout(STEP_MS);
        page.on('pageerror', (err) => pageErrors.push(String(err)));
        page.on('console', (msg) => {
            if (msg.type() === 'error' && !msg.text().includes('401'))
                pageErrors.push(msg.text());
        });
        try {
            await walk(page);
        } catch (err) {
            await page.screenshot({path: path.join(OUT, 'failure.png'), fullPage: true}).catch(() => {});
            throw err;
        }
        assert.deepEqual(outside, [], 'requests to other origins');
        assert.deepEqual(pageErrors, [], 'errors in the page');
    } finally {
        await browser.close();
    }
}

main().then(() => {
    clearTimeout(hardStop);
    console.log('console test: all steps passed');
}, (err) => {
    console.error(`console test FAILED: ${err.stack ?? err}`);
    process.exit(1);
});
