// app.js - the console: connect, list campaigns (Get All Campaigns with its
// type, filters, sort keys, date range and paging), open one, start and stop
// it, and watch its status and (voice) contacts while it is open.
import {Api, ApiError, listBody, campaignId} from '/console/api.js';

// The values the forms offer (statuses, priorities, dialing modes, sort keys
// and orders) are read from the server's own OpenAPI description
// (GET /openapi.json), so they are written in one place; the sort keys get
// friendlier labels here.
const SORT_LABELS = {name: 'Name', createdAt: 'Created', updatedAt: 'Updated'};
// The family spec §7.2: the statuses a start or a stop is allowed from.
const CAN_START = new Set(['Ready', 'Preparing', 'Scheduled', 'Rescheduled', 'Paused', 'Stopped',
    'Completed']);
const CAN_STOP = new Set(['Active', 'Paused', 'Scheduled', 'Rescheduled']);
const REFRESH_MS = 3000;
const CONTACTS_LIMIT = 10;
const STORE_KEY = 'campaignd-console';

const $ = (id) => document.getElementById(id);

const state = {
    api: null,
    page: 1,           // the listing's page
    lastBody: null,    // the last listing request
    detail: null,      // {id, type, status, contactsPage, timer, gen}
    gen: 0,            // bumped at each open/close: late answers of an older one are dropped
};

// ---- small DOM helpers -------------------------------------------------------

function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (k === 'class')
            e.className = v;
        else if (k === 'text')
            e.textContent = v;
        else if (k.startsWith('on'))
            e.addEventListener(k.slice(2), v);
        else
            e.setAttribute(k, v);
    }
    for (const c of children)
        e.append(c);
    return e;
}

function badge(status) {
    return el('span', {class: `badge s-${String(status).toLowerCase()}`, text: status ?? ''});
}

function checkboxes(fieldset, name, values) {
    for (const v of values)
        fieldset.append(el('label', {class: 'chip'},
            el('input', {type: 'checkbox', name, value: String(v), 'data-testid': `${name}-${v}`}),
            ` ${v}`));
}

function checked(name) {
    return [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

// A datetime-local value (read as UTC) in contract §3 form, or '' when empty.
function utc(value) {
    if (!value)
        return '';
    const withSeconds = value.length === 16 ? `${value}:00` : value;
    return `${withSeconds}.000Z`;
}

function shortTime(iso) {
    return typeof iso === 'string' ? iso.replace('T', ' ').replace(/\.\d+Z$/, '') : '';
}

// ---- errors --------------------------------------------------------------------

function showError(err, context) {
    const box = $('error');
    const list = $('error-list');
    list.replaceChildren();
    if (err instanceof ApiError) {
        $('error-title').textContent = `${context}: ${err.status} — ${err.message}`;
        for (const e of err.errors)
            list.append(el('li', {},
                e.field ? el('code', {text: e.field}) : '', e.field ? ': ' : '', e.msg ?? ''));
    } else {
        const what = err && err.name === 'TimeoutError' ? 'no answer in time' : String(err);
        $('error-title').textContent = `${context}: ${what}`;
    }
    box.hidden = false;
}

function clearError() {
    $('error').hidden = true;
}

// ---- connection ----------------------------------------------------------------

function loadConnection() {
    try {
        const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? 'null');
        if (saved) {
            $('token').value = saved.token ?? '';
            $('account').value = saved.accountId ?? '';
            $('stream').value = saved.streamId ?? '';
            return true;
        }
    } catch {
        sessionStorage.removeItem(STORE_KEY);
    }
    return false;
}

async function connect(ev) {
    ev?.preventDefault();
    const conn = {token: $('token').value, accountId: $('account').value,
        streamId: $('stream').value};
    sessionStorage.setItem(STORE_KEY, JSON.stringify(conn));
    state.api = new Api(conn);
    closeDetail();
    state.page = 1;
    if (await loadList()) {
        $('whoami').textContent = `account ${state.api.accountId} · stream ${state.api.streamId}`;
        $('workspace').hidden = false;
    }
}

function forget() {
    sessionStorage.removeItem(STORE_KEY);
    for (const id of ['token', 'account', 'stream'])
        $(id).value = '';
    state.api = null;
    closeDetail();
    $('workspace').hidden = true;
    $('whoami').textContent = '';
}

// ---- the listing ---------------------------------------------------------------

function listType() {
    return document.querySelector('input[name="type"]:checked').value;
}

function formState() {
    return {
        type: listType(),
        limit: Number($('limit').value),
        page: state.page,
        skip: Number($('skip').value) || 0,
        startDate: utc($('start').value),
        endDate: utc($('end').value),
        sort: [{key: $('sort1').value, order: $('order1').value},
            {key: $('sort2').value, order: $('order2').value}],
        status: checked('status'),
        priority: checked('priority'),
        dialingMode: checked('dialingMode'),
    };
}

// An order means nothing without its sort key.
function syncSortControls() {
    $('order1').disabled = $('sort1').value === '';
    $('order2').disabled = $('sort2').value === '';
}

function syncTypeControls() {
    const voice = listType() === 'voice';
    $('f-mode').disabled = !voice;
    $('col-kind').textContent = voice ? 'Dialing mode' : 'Format';
}

async function loadList() {
    if (!state.api)
        return false;
    const body = listBody(formState());
    state.lastBody = body;
    $('list-request').textContent = JSON.stringify(body, null, 2);
    let answer;
    try {
        answer = await state.api.listCampaigns(body);
    } catch (err) {
        if (state.lastBody === body) // an older request's failure never hides a newer answer
            showError(err, 'Get All Campaigns');
        return false;
    }
    if (state.lastBody !== body)
        return true; // a newer request is on its way
    clearError();
    renderList(body, answer.data);
    return true;
}

function renderList(body, data) {
    const tbody = $('list').tBodies[0];
    tbody.replaceChildren();
    for (const c of data.results) {
        const id = campaignId(c);
        const open = el('button', {type: 'button', class: 'link name', text: c.name,
            'data-testid': 'open', 'data-id': id, onclick: () => openCampaign(id, body.type)});
        tbody.append(el('tr', {'data-testid': 'row', 'data-id': id},
            el('td', {}, open, el('div', {class: 'id', text: id})),
            el('td', {}, badge(c.status)),
            el('td', {text: c.priority ?? ''}),
            el('td', {text: (body.type === 'voice' ? c.dialingMode : c.format) ?? ''}),
            el('td', {text: shortTime(c.createdAt)}),
            el('td', {text: shortTime(c.updatedAt)})));
    }
    if (data.results.length === 0)
        tbody.append(el('tr', {}, el('td', {colspan: '6', class: 'muted', text: 'No campaigns.'})));
    const first = data.results.length > 0 ? data.skip + 1 : 0;
    const last = data.skip + data.results.length;
    $('totals').textContent = `${data.totalResults} ${body.type === 'voice' ? 'voice' : 'SMS'} ` +
        `campaign${data.totalResults === 1 ? '' : 's'} · showing ${first}–${last}` +
        ` · page ${body.page} of ${data.totalPages}`;
    $('totals').dataset.totalResults = data.totalResults;
    $('totals').dataset.totalPages = data.totalPages;
    $('totals').dataset.hasMore = data.hasMore;
    $('page-label').textContent = `Page ${body.page} of ${Math.max(data.totalPages, 1)}`;
    $('prev').disabled = body.page <= 1;
    $('next').disabled = !data.hasMore;
}

function applyFilters(ev) {
    ev.preventDefault();
    state.page = 1;
    loadList();
}

function clearFilters() {
    for (const i of document.querySelectorAll('#list-form input[type="checkbox"]'))
        i.checked = false;
    $('start').value = '';
    $('end').value = '';
    $('skip').value = '0';
    $('sort1').value = '';
    $('sort2').value = '';
    syncSortControls();
    state.page = 1;
    loadList();
}

function turnPage(delta) {
    state.page = Math.max(1, state.page + delta);
    loadList();
}

// ---- one campaign --------------------------------------------------------------

function renderValue(v) {
    if (v === null || typeof v !== 'object')
        return el('span', {text: String(v)});
    if (Array.isArray(v) && v.every((x) => typeof x !== 'object'))
        return el('span', {text: v.join(', ')});
    return el('code', {class: 'json', text: JSON.stringify(v)});
}

function renderDoc(doc) {
    const dl = $('doc');
    dl.replaceChildren();
    for (const [k, v] of Object.entries(doc))
        dl.append(el('div', {'data-key': k}, el('dt', {text: k}), el('dd', {}, renderValue(v))));
    $('doc-raw').textContent = JSON.stringify(doc, null, 2);
}

function renderStatus(status) {
    const d = state.detail;
    d.status = status;
    const b = $('detail-status');
    b.className = `badge s-${String(status).toLowerCase()}`;
    b.textContent = status;
    $('start-btn').disabled = !CAN_START.has(status);
    $('stop-btn').disabled = !CAN_STOP.has(status);
}

async function openCampaign(id, type) {
    closeDetail();
    const gen = ++state.gen;
    state.detail = {id, type, status: null, contactsPage: 1, timer: null, gen, refreshes: 0,
        writes: 0};
    let answer;
    try {
        answer = await state.api.getCampaign(id);
    } catch (err) {
        if (gen === state.gen) {
            showError(err, 'Get campaign');
            state.detail = null; // nothing is open: nothing to refresh
        }
        return;
    }
    if (gen !== state.gen)
        return;
    clearError();
    const doc = answer.data;
    $('detail-h').textContent = doc.name;
    $('detail-id').textContent = doc._id;
    $('action-result').textContent = '';
    renderDoc(doc);
    renderStatus(doc.status);
    $('contacts').hidden = type !== 'voice';
    $('contacts-refreshes').textContent = '0';
    $('contacts-time').textContent = '—';
    $('detail').hidden = false;
    await refresh(gen);
}

function closeDetail() {
    state.gen++;
    if (state.detail?.timer)
        clearTimeout(state.detail.timer);
    state.detail = null;
    $('detail').hidden = true;
}

// The open campaign's live parts: its status (§8.1) and, for voice, a page of
// its contacts (§8.2); again every REFRESH_MS while it stays open.
async function refresh(gen) {
    const d = state.detail;
    if (!d || d.gen !== gen)
        return;
    clearTimeout(d.timer);
    if (d.busy) {
        d.again = true; // one chain of refreshes at a time
        return;
    }
    d.busy = true;
    d.again = false;
    const writes = d.writes; // a start or stop after this read makes it stale
    try {
        const st = await state.api.status(d.id);
        if (gen !== state.gen)
            return;
        if (writes === d.writes && st.data.status !== d.status) {
            renderStatus(st.data.status);
            const doc = await state.api.getCampaign(d.id);
            if (gen !== state.gen)
                return;
            renderDoc(doc.data);
        }
        if (d.type === 'voice') {
            const c = await state.api.contacts(d.id, d.contactsPage, CONTACTS_LIMIT);
            if (gen !== state.gen)
                return;
            renderContacts(c.data);
        }
    } catch (err) {
        if (gen === state.gen)
            showError(err, 'Refresh');
    }
    d.busy = false;
    if (gen !== state.gen)
        return;
    if (d.again)
        refresh(gen);
    else if ($('contacts-auto').checked)
        d.timer = setTimeout(() => refresh(gen), REFRESH_MS);
}

function renderContacts(data) {
    const d = state.detail;
    const tbody = $('contacts-table').tBodies[0];
    tbody.replaceChildren();
    for (const r of data.results)
        tbody.append(el('tr', {'data-testid': 'contact'},
            el('td', {text: r.phoneNumber}),
            el('td', {text: r.uniqueId}),
            el('td', {}, el('span', {class: `outcome o-${r.dialerOutcome}`, text: r.dialerOutcome})),
            el('td', {text: String(r.numberOfAttemptsSoFar)}),
            el('td', {text: [r.botOutboundStatus, r.botOutboundStatusDetail].filter(Boolean).join(' · ')}),
            el('td', {text: (r.agentDispositionCodes ?? []).join(', ')})));
    if (data.results.length === 0)
        tbody.append(el('tr', {}, el('td', {colspan: '6', class: 'muted', text: 'No contacts.'})));
    const pending = data.results.filter((r) => r.dialerOutcome === 'Pending').length;
    $('contacts-totals').textContent = `${data.totalResults} contact` +
        `${data.totalResults === 1 ? '' : 's'} · ${pending} of this page pending`;
    $('contacts-totals').dataset.totalResults = data.totalResults;
    $('c-page').textContent = `Page ${data.page} of ${Math.max(data.totalPages, 1)}`;
    $('c-prev').disabled = data.page <= 1;
    $('c-next').disabled = data.page >= data.totalPages;
    d.refreshes++;
    $('contacts-refreshes').textContent = String(d.refreshes);
    $('contacts-time').textContent = new Date().toISOString().slice(11, 19);
}

async function trigger(which) {
    const d = state.detail;
    if (!d)
        return;
    const gen = d.gen;
    d.writes++;
    $('start-btn').disabled = true;
    $('stop-btn').disabled = true;
    try {
        const r = await state.api.trigger(d.id, d.type, which);
        if (gen !== state.gen)
            return;
        clearError();
        $('action-result').textContent = `${r.message} at ${shortTime(r.updatedAt)}`;
        renderStatus(r.status);
        const doc = await state.api.getCampaign(d.id);
        if (gen !== state.gen)
            return;
        renderDoc(doc.data);
        renderStatus(doc.data.status);
    } catch (err) {
        showError(err, which === 'play' ? 'Start' : 'Stop');
        if (gen === state.gen && d.status)
            renderStatus(d.status);
    }
    loadList();
    refresh(gen);
}

function turnContactsPage(delta) {
    const d = state.detail;
    if (!d)
        return;
    d.contactsPage = Math.max(1, d.contactsPage + delta);
    refresh(d.gen);
}

// ---- wiring --------------------------------------------------------------------

// Fills a <select> with [value, label] pairs.
function options(select, pairs) {
    for (const [value, label] of pairs) {
        const o = document.createElement('option');
        o.value = value;
        o.textContent = label;
        select.appendChild(o);
    }
}

// The forms' values from the description's schemas (contract §3).
async function loadVocabulary() {
    const r = await fetch('/openapi.json', {cache: 'no-store', signal: AbortSignal.timeout(15000)});
    const schemas = (await r.json()).components.schemas;
    checkboxes($('f-status'), 'status', schemas.CampaignStatus.enum);
    checkboxes($('f-priority'), 'priority', schemas.Priority.enum);
    checkboxes($('f-mode'), 'dialingMode', schemas.DialingMode.enum);
    const sortBy = schemas.ListingRequest.properties.sortBy.properties;
    const keys = Object.keys(sortBy);
    for (const n of ['1', '2']) {
        const sort = $('sort' + n);
        options(sort, [['', sort.dataset.none], ...keys.map((k) => [k, SORT_LABELS[k] ?? k])]);
        options($('order' + n), sortBy[keys[0]].enum.map((o) => [o, o]));
    }
    syncSortControls();
}

async function init() {
    $('connect-form').addEventListener('submit', connect);
    $('forget-btn').addEventListener('click', forget);
    $('list-form').addEventListener('submit', applyFilters);
    $('clear').addEventListener('click', clearFilters);
    for (const r of document.querySelectorAll('input[name="type"]'))
        r.addEventListener('change', () => {
            syncTypeControls();
            closeDetail();
            state.page = 1;
            loadList();
        });
    $('prev').addEventListener('click', () => turnPage(-1));
    $('next').addEventListener('click', () => turnPage(1));
    $('close-detail').addEventListener('click', closeDetail);
    $('start-btn').addEventListener('click', () => trigger('play'));
    $('stop-btn').addEventListener('click', () => trigger('stop'));
    $('c-prev').addEventListener('click', () => turnContactsPage(-1));
    $('c-next').addEventListener('click', () => turnContactsPage(1));
    $('contacts-auto').addEventListener('change', () => {
        if (state.detail)
            refresh(state.detail.gen);
    });
    $('error-close').addEventListener('click', clearError);
    for (const id of ['sort1', 'sort2'])
        $(id).addEventListener('change', syncSortControls);
    syncTypeControls();
    try {
        await loadVocabulary();
    } catch (err) {
        showError(err, 'Loading /openapi.json');
    }
    if (loadConnection())
        connect();
}

init();
