// api.js - the console's only way to the server: the documented public
// requests (contract.md §1-§4, campaign-api-family.md §4.3, §6, §8.1, §8.2),
// with the same headers any client sends: auth (the JWT), iid (the streamId)
// and accountId, which also goes in the query string.

const TIMEOUT_MS = 15000;

// An answer that is not a 2xx: the HTTP status and the error body of
// contract §2 ({status, message, errors: [{field?, msg}]}) when there is one.
export class ApiError extends Error {
    constructor(status, body, text) {
        super(body && typeof body.message === 'string' ? body.message
            : `HTTP ${status}${text ? ': ' + text.slice(0, 200) : ''}`);
        this.status = status;
        this.body = body;
    }

    // [{field, msg}] from the error body; [] when it has none.
    get errors() {
        return this.body && Array.isArray(this.body.errors) ? this.body.errors : [];
    }
}

export class Api {
    // conn: {token, accountId, streamId}
    constructor(conn) {
        this.token = conn.token.trim();
        this.accountId = conn.accountId.trim();
        this.streamId = conn.streamId.trim();
    }

    // B of the family spec: /campaign/api/v2/public/{streamId}/campaign
    base() {
        return `/campaign/api/v2/public/${encodeURIComponent(this.streamId)}/campaign`;
    }

    async request(method, path, query, body) {
        const params = new URLSearchParams({accountId: this.accountId, ...query});
        const headers = {auth: this.token, iid: this.streamId, accountId: this.accountId};
        const init = {method, headers, cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS)};
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body);
        }
        const resp = await fetch(`${this.base()}${path}?${params}`, init);
        const text = await resp.text();
        let json = null;
        try {
            json = JSON.parse(text);
        } catch {
            json = null;
        }
        if (!resp.ok || json === null)
            throw new ApiError(resp.status, json, text);
        return json;
    }

    // Get All Campaigns (contract §3): body as built by listBody().
    listCampaigns(body) {
        return this.request('POST', '/getAllCampaignDetails', {}, body);
    }

    // §4.3: one campaign's document, either type.
    getCampaign(id) {
        return this.request('GET', `/${encodeURIComponent(id)}`, {});
    }

    // §6: trigger is 'play' (start) or 'stop'; the samples send {}.
    trigger(id, type, trigger) {
        return this.request('POST', `/trigger/${encodeURIComponent(id)}`,
            {campaignType: type, trigger}, {});
    }

    // §8.1: {id, status, name}.
    status(id) {
        return this.request('POST', `/${encodeURIComponent(id)}/status`, {view: 'status'}, {});
    }

    // §8.2: a voice campaign's contacts, one page.
    contacts(id, page, limit) {
        return this.request('POST', `/${encodeURIComponent(id)}/status`, {view: 'contacts'},
            {page, limit});
    }
}

// The Get All Campaigns body (contract §3) for the listing form's state:
//   {type, limit, page, skip, startDate, endDate, sort: [{key, order}],
//    status: [..], priority: [..], dialingMode: [..]}
// Empty parts are left out, so the server's defaults apply; sort keys keep
// the order chosen (a repeated key counts once); dialingMode is sent for
// voice only, the one type it applies to.
export function listBody(f) {
    const body = {type: f.type, limit: f.limit, page: f.page};
    if (f.skip)
        body.skip = f.skip;
    if (f.startDate)
        body.startDate = f.startDate;
    if (f.endDate)
        body.endDate = f.endDate;
    const sortBy = {};
    for (const s of f.sort)
        if (s.key && !(s.key in sortBy))
            sortBy[s.key] = s.order;
    if (Object.keys(sortBy).length > 0)
        body.sortBy = sortBy;
    const filters = {};
    if (f.status.length > 0)
        filters.status = f.status;
    if (f.priority.length > 0)
        filters.priority = f.priority.map(Number);
    if (f.type === 'voice' && f.dialingMode.length > 0)
        filters.dialingMode = f.dialingMode;
    if (Object.keys(filters).length > 0)
        body.filters = filters;
    return body;
}

// A listing result's id: voice items carry _id, SMS items id (contract §4).
export function campaignId(item) {
    return item._id ?? item.id;
}
