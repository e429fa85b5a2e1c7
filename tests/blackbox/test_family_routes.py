"""Family spec §2, §11, §12 and §1: every route on its canonical path and on
every alias, 405 with Allow for wrong methods, 404 for paths that are not
routes, unknown objects, and tenancy (another tenant's objects are unknown)."""
from urllib.parse import quote

import pytest

from conftest import (DAILY, FAMILY_ADD_ALIAS, UNKNOWN_CD, UNKNOWN_CL, assert_error, sms_body,
                      voice_body)


# ---- every route, canonical and under the /api/v2 prefix alias -------------


def _campaigns(fam):
    fam.setup_lists()
    return fam.create_sms("Route SMS"), fam.create_voice("Route Voice")


def op_create_sms(fam, alias):
    fam.setup_lists()
    return fam.req("POST", "?campaignType=sms", sms_body("New SMS", ["CL"]), alias=alias), 201


def op_create_voice(fam, alias):
    fam.setup_lists()
    return fam.req("POST", "?campaignType=voice", voice_body("New V", ["CL"], "DNC"),
                   alias=alias), 201


def op_get(fam, alias):
    _, v = _campaigns(fam)
    return fam.req("GET", f"/{v}", alias=alias), 200


def op_update(fam, alias):
    s, _ = _campaigns(fam)
    return fam.req("PUT", f"/{s}?campaignType=sms", {"description": "x"}, alias=alias), 200


def op_delete(fam, alias):
    s, _ = _campaigns(fam)
    return fam.req("DELETE", f"/{s}?campaignType=sms", alias=alias), 200


def op_start(fam, alias):
    _, v = _campaigns(fam)
    return fam.req("POST", f"/trigger/{v}?campaignType=voice&trigger=play", {}, alias=alias), 200


def op_stop(fam, alias):
    _, v = _campaigns(fam)
    fam.start(v)
    return fam.req("POST", f"/trigger/{v}?campaignType=voice&trigger=stop", {}, alias=alias), 200


def op_start_double_slash(fam, alias):
    s, _ = _campaigns(fam)
    return fam.req("POST", f"//trigger/{s}?campaignType=sms&trigger=play", {}, alias=alias), 200


def op_stop_double_slash(fam, alias):
    s, _ = _campaigns(fam)
    fam.start(s)
    return fam.req("POST", f"//trigger/{s}?campaignType=sms&trigger=stop", {}, alias=alias), 200


def op_start_on_id(fam, alias):
    s, _ = _campaigns(fam)
    return fam.req("POST", f"/{s}?campaignType=sms&trigger=play", {}, alias=alias), 200


def op_stop_on_id(fam, alias):
    _, v = _campaigns(fam)
    fam.start(v)
    return fam.req("POST", f"/{v}?campaignType=voice&trigger=stop", {}, alias=alias), 200


def op_status(fam, alias):
    _, v = _campaigns(fam)
    return fam.req("POST", f"/{v}/status?view=status", {}, alias=alias), 200


def op_status_default_view(fam, alias):
    s, _ = _campaigns(fam)
    return fam.req("POST", f"/{s}/status", {}, alias=alias), 200


def op_contacts(fam, alias):
    _, v = _campaigns(fam)
    return fam.req("POST", f"/{v}/status?view=contacts", {}, alias=alias), 200


def op_enable_schedule(fam, alias):
    _campaigns(fam)
    return fam.req("POST", "/schedule?enableSchedule=true&campaignName=Route%20SMS", DAILY,
                   alias=alias), 200


def op_disable_schedule(fam, alias):
    _campaigns(fam)
    assert fam.schedule("Route Voice").status_code == 200
    return fam.req("POST", "/schedule?enableSchedule=false&campaignName=Route%20Voice", {},
                   alias=alias), 200


def op_create_list(fam, alias):
    return fam.req("POST", "/contactList/createContactList",
                   {"name": "L", "description": "", "source": "passiveApi"}, alias=alias), 201


def op_get_all_lists(fam, alias):
    fam.create_list("L")
    return fam.req("POST", "/contactList/getAllListDetails?type=call", {}, alias=alias), 200


def op_get_all_lists_no_type(fam, alias):
    fam.create_list("L")
    return fam.req("POST", "/contactList/getAllListDetails", None, alias=alias), 200


def op_get_list(fam, alias):
    lid = fam.create_list("L")["_id"]
    return fam.req("GET", f"/contactList/{lid}", alias=alias), 200


def op_update_list(fam, alias):
    lid = fam.create_list("L")["_id"]
    return fam.req("PUT", f"/contactList/{lid}", {"name": "L2"}, alias=alias), 200


def op_delete_list(fam, alias):
    lid = fam.create_list("L")["_id"]
    return fam.req("DELETE", f"/contactList/{lid}", alias=alias), 200


def op_get_contacts(fam, alias):
    lid = fam.create_list("L")["_id"]
    return fam.req("GET", f"/contactList/{lid}/getAllContacts", alias=alias), 200


def op_add_contacts(fam, alias):
    fam.create_list("L")
    return fam.req("POST", "/contactList/addContacts",
                   {"contact_list_name": "L", "data": [{"phoneNumber": "+14155550100"}]},
                   alias=alias), 200


ROUTES = {name[3:]: f for name, f in dict(globals()).items() if name.startswith("op_")}


@pytest.mark.parametrize("alias", [False, True], ids=["canonical", "api-v2-alias"])
@pytest.mark.parametrize("op", sorted(ROUTES))
def test_route_answers_on_canonical_path_and_prefix_alias(fam, op, alias):
    r, expect = ROUTES[op](fam, alias)
    assert r.status_code == expect, f"{op} alias={alias}: {r.status_code} {r.text}"
    assert r.headers["Content-Type"].split(";")[0] == "application/json"


def test_add_contacts_api_1_1_alias_behaves_like_canonical(fam):
    lid = fam.create_list("L")["_id"]
    url = fam.server.url(FAMILY_ADD_ALIAS.format(stream=fam.stream))
    r = fam.req("POST", "", {"contact_list_name": "l", "data": [{"phoneNumber": "+14155550100"}]},
                url=url)
    assert r.status_code == 200, r.text
    assert r.json() == {"message": "Adding contacts to public list is in progress"}
    assert fam.get_list(lid)["totalRecordCount"] == 1
    # same validation as the canonical path
    r = fam.req("POST", "", {"contact_list_name": "nope", "data": [{"phoneNumber": "1"}]},
                url=url + "?accountId=" + fam.account)
    assert_error(r, 404, ["contact_list_name"])
    r = fam.req("POST", "", {"contact_list_name": "L", "data": [{"phoneNumber": "12"}]}, url=url)
    assert_error(r, 400, ["data[0].phoneNumber"])
    assert fam.get_list(lid)["totalRecordCount"] == 1


def test_aliases_reach_the_same_objects(fam):
    fam.setup_lists()
    cid = fam.create_sms("Same")
    a = fam.req("GET", f"/{cid}", alias=True)
    b = fam.req("GET", f"/{cid}")
    assert a.status_code == b.status_code == 200
    assert a.content == b.content


def test_account_query_is_optional_and_must_match_the_header(fam):
    fam.setup_lists()
    cid = fam.create_sms("Q")
    assert fam.req("GET", f"/{cid}", account=False).status_code == 200
    r = fam.req("GET", f"/{cid}?accountId=someoneelse000000000000", account=False)
    assert r.status_code == 400, r.text


def test_auth_applies_to_the_family_routes(fam):
    fam.setup_lists()
    cid = fam.create_sms("Auth")
    assert fam.req("GET", f"/{cid}", headers={"auth": None}).status_code == 401
    assert fam.req("GET", f"/{cid}", headers={"auth": "garbage"}).status_code == 401
    assert_error(fam.req("GET", f"/{cid}", headers={"iid": None}), 400, ["headers.iid"])
    url = fam.server.url(FAMILY_ADD_ALIAS.format(stream=fam.stream))
    r = fam.req("POST", "", {"contact_list_name": "CL", "data": [{"phoneNumber": "+14155550100"}]},
                url=url, headers={"accountId": None})
    assert_error(r, 400, ["headers.accountId"])


# ---- 405 with Allow ----------------------------------------------------------

METHOD_CASES = [
    # (method, path, Allow)
    ("GET", "/contactList/addContacts", "POST"),
    ("PUT", "/contactList/addContacts", "POST"),
    ("GET", "/trigger/{cid}", "POST"),
    ("DELETE", "/trigger/{cid}", "POST"),
    ("GET", "//trigger/{cid}", "POST"),
    ("POST", "/{cid}", "GET, PUT, DELETE"),
    ("PATCH", "/{cid}", "GET, PUT, DELETE"),
    ("GET", "", "POST"),
    ("DELETE", "", "POST"),
    ("GET", "/{cid}/status", "POST"),
    ("GET", "/schedule", "POST"),
    ("PUT", "/schedule", "POST"),
    ("GET", "/contactList/createContactList", "POST"),
    ("GET", "/contactList/getAllListDetails", "POST"),
    ("POST", "/contactList/{lid}", "GET, PUT, DELETE"),
    ("POST", "/contactList/{lid}/getAllContacts", "GET"),
    ("DELETE", "/contactList/{lid}/getAllContacts", "GET"),
]


def allow_set(value):
    return {m.strip() for m in value.split(",")}


@pytest.mark.parametrize("alias", [False, True], ids=["canonical", "api-v2-alias"])
@pytest.mark.parametrize("method,path,allow", METHOD_CASES)
def test_wrong_method_is_405_with_allow(fam, method, path, allow, alias):
    path = path.format(cid=UNKNOWN_CD, lid=UNKNOWN_CL)
    r = fam.req(method, path, alias=alias)
    assert_error(r, 405)
    assert allow_set(r.headers.get("Allow", "")) == allow_set(allow), r.headers.get("Allow")


@pytest.mark.parametrize("method,path,allow", [
    ("GET", "/contactList/addContacts", "POST"),
    ("GET", "/trigger/{cid}", "POST"),
    ("POST", "/{cid}", "GET, PUT, DELETE"),
])
def test_documented_allow_headers_verbatim(fam, method, path, allow):
    r = fam.req(method, path.format(cid=UNKNOWN_CD))
    assert r.status_code == 405
    assert r.headers["Allow"] == allow


def test_api_1_1_add_contacts_wrong_method(fam):
    url = fam.server.url(FAMILY_ADD_ALIAS.format(stream=fam.stream))
    r = fam.req("GET", "", url=url)
    assert_error(r, 405)
    assert allow_set(r.headers["Allow"]) == {"POST"}


def test_post_on_campaign_id_with_trigger_is_not_405(fam):
    fam.setup_lists()
    cid = fam.create_sms("T")
    assert fam.req("POST", f"/{cid}?trigger=play", {}).status_code == 200
    r = fam.req("POST", f"/{cid}?campaignType=sms", {})
    assert r.status_code == 405
    assert allow_set(r.headers["Allow"]) == {"GET", "PUT", "DELETE"}


# ---- 404: not a route --------------------------------------------------------

NOT_ROUTES = [
    ("POST", "/trigger"), ("GET", "/trigger"), ("POST", "/trigger/"),
    ("GET", "/contactList"), ("POST", "/contactList"), ("POST", "/contactList/"),
    ("POST", "/"), ("GET", "/{cid}/"), ("POST", "/trigger/{cid}/"),
    ("POST", "/contactList/addContacts/"), ("POST", "/contactList/createContactList/"),
    ("GET", "/contactList/{lid}/"), ("GET", "/contactList/{lid}/getAllContacts/"),
    ("POST", "/schedule/"), ("POST", "/{cid}/status/"),
    ("POST", "/Trigger/{cid}"), ("POST", "/TRIGGER/{cid}"),
    ("POST", "/contactlist/createContactList"), ("POST", "/ContactList/addContacts"),
    ("GET", "/contactList/{lid}/GetAllContacts"), ("POST", "/{cid}/Status"),
    ("GET", "//{cid}"), ("POST", "/contactList//addContacts"), ("POST", "///trigger/{cid}"),
    ("POST", "/trigger//{cid}"), ("GET", "/{cid}/status/extra"), ("POST", "/x/y/z"),
]


@pytest.mark.parametrize("alias", [False, True], ids=["canonical", "api-v2-alias"])
@pytest.mark.parametrize("method,path", NOT_ROUTES)
def test_paths_that_are_not_routes_are_404(fam, method, path, alias):
    fam.setup_lists(contacts=(), dnc=())
    cid = fam.create_sms("P")
    lid = fam.lists()[0]["_id"]
    r = fam.req(method, path.format(cid=cid, lid=lid), {}, alias=alias)
    assert_error(r, 404)
    assert "Allow" not in r.headers


def test_miscased_literals_read_as_ids_are_unknown_objects(fam):
    # a miscased literal is not a literal; where an id fits, it is an unknown id
    assert_error(fam.req("GET", "/Schedule"), 404)
    assert_error(fam.req("GET", "/contactList/AddContacts"), 404)
    assert_error(fam.req("GET", "/GetAllCampaignDetails"), 404)


def test_get_all_campaign_details_has_no_prefix_alias(fam):
    # contract §3 lists no alias; family spec §12: 404 under the /api/v2 prefix
    for method in ("POST", "GET"):
        r = fam.req(method, "/getAllCampaignDetails", {"type": "sms"}, alias=True)
        assert_error(r, 404)
        assert "Allow" not in r.headers


def test_literals_are_never_campaign_ids(fam):
    # GET B/getAllCampaignDetails is a wrong method on the listing, not a campaign id
    r = fam.req("GET", "/getAllCampaignDetails")
    assert r.status_code == 405
    assert allow_set(r.headers["Allow"]) == {"POST"}
    r = fam.req("GET", "/schedule")
    assert r.status_code == 405


def test_api_1_1_has_only_add_contacts(fam):
    base = f"/api/1.1/public/{fam.stream}/campaign"
    for method, path in [("POST", "/contactList/createContactList"), ("GET", ""),
                         ("POST", "/contactList/addContacts/"),
                         ("POST", "/contactList/AddContacts")]:
        r = fam.req(method, path, {}, base=base)
        assert_error(r, 404)


# ---- 404: unknown objects ----------------------------------------------------

UNKNOWN_OBJECT_CASES = [
    ("GET", "/{x}"), ("PUT", "/{x}?campaignType=sms"), ("DELETE", "/{x}"),
    ("POST", "/trigger/{x}?trigger=play"), ("POST", "/trigger/{x}?trigger=stop"),
    ("POST", "//trigger/{x}?trigger=play"), ("POST", "/{x}?trigger=play"),
    ("POST", "/{x}/status"), ("POST", "/{x}/status?view=contacts"),
]
UNKNOWN_LIST_CASES = [
    ("GET", "/contactList/{x}"), ("PUT", "/contactList/{x}"), ("DELETE", "/contactList/{x}"),
    ("GET", "/contactList/{x}/getAllContacts"),
]


@pytest.mark.parametrize("ident", [UNKNOWN_CD, "cd-not-a-uuid", "12345", "CD-" + UNKNOWN_CD[3:],
                                   "cl-00000000-0000-4000-8000-000000000000"])
@pytest.mark.parametrize("method,path", UNKNOWN_OBJECT_CASES)
def test_unknown_campaign_is_404(fam, method, path, ident):
    assert_error(fam.req(method, path.format(x=ident), {}), 404)


@pytest.mark.parametrize("ident", [UNKNOWN_CL, "cl-nope",
                                   "cd-00000000-0000-4000-8000-000000000000"])
@pytest.mark.parametrize("method,path", UNKNOWN_LIST_CASES)
def test_unknown_list_is_404(fam, method, path, ident):
    assert_error(fam.req(method, path.format(x=ident), {"name": "x"}), 404)


@pytest.mark.parametrize("method,path,fields", [
    ("GET", "/contactList/abc%CC", ["path"]), ("PUT", "/contactList/abc%CC", ["path"]),
    ("DELETE", "/contactList/abc%CC", ["path"]), ("GET", "/abc%CC%FF", ["path"]),
    ("DELETE", "/%C0%AF", ["path"]),
    ("POST", "/schedule?campaignName=%E2%82&campaignType=sms&enableSchedule=false",
     ["query.campaignName"]),
    ("GET", "/%FF?x%FF=1", ["path", "query"])])
def test_a_url_that_is_not_utf8_is_a_400_not_a_500(fam, method, path, fields):
    # found by fuzz_request (SQLite: the 404 quoting the id could not be
    # written) and then on PostgreSQL (it refuses the bytes as a parameter)
    r = fam.req(method, path, {"name": "x"} if method in ("PUT", "POST") else None)
    assert_error(r, 400, fields)
    assert r.json()["message"] == "The request URL is not valid UTF-8"


def test_query_is_checked_before_the_object(fam):
    # family spec §1.1: query parameters (400) come before the object lookup (404)
    assert_error(fam.req("POST", f"/trigger/{UNKNOWN_CD}?trigger=pause", {}), 400,
                 ["query.trigger"])
    assert_error(fam.req("POST", f"/{UNKNOWN_CD}/status?view=bogus", {}), 400, ["query.view"])
    assert_error(fam.req("PUT", f"/{UNKNOWN_CD}?campaignType=email", {}), 400,
                 ["query.campaignType"])
    assert_error(fam.req("GET", f"/contactList/{UNKNOWN_CL}/getAllContacts?limit=0"), 400,
                 ["query.limit"])


@pytest.mark.parametrize("method,path", [
    ("GET", "/{x}"), ("PUT", "/{x}"), ("DELETE", "/{x}"), ("POST", "/trigger/{x}?trigger=play"),
    ("POST", "/{x}/status"), ("POST", "/{x}/status?view=contacts")])
def test_campaign_type_is_sms_or_voice_on_every_route_by_id(fam, method, path):
    # family §2: when present, campaignType must be sms or voice (the status
    # view used to accept fax)
    url = path.format(x=UNKNOWN_CD)
    url += ("&" if "?" in url else "?") + "campaignType=fax"
    assert_error(fam.req(method, url, {}), 400, ["query.campaignType"])


def test_status_view_reports_view_and_type_together(fam):
    assert_error(fam.req("POST", f"/{UNKNOWN_CD}/status?view=bogus&campaignType=fax", {}), 400,
                 ["query.campaignType", "query.view"])


def test_object_is_checked_before_the_body(fam):
    # 404 for the object comes before 400 for the body
    assert_error(fam.req("PUT", f"/{UNKNOWN_CD}", {"priority": "9"}), 404)
    assert_error(fam.req("PUT", f"/contactList/{UNKNOWN_CL}", {"name": ""}), 404)


# ---- tenancy -------------------------------------------------------------------


@pytest.fixture
def other_tenant_objects(family_factory):
    """Objects of tenant A, and tenants B (another account) and C (same account,
    another app)."""
    a = family_factory()
    a.setup_lists()
    sms = a.create_sms("Tenant SMS")
    voice = a.create_voice("Tenant Voice")
    lid = [i["_id"] for i in a.lists() if i["name"] == "CL"][0]
    b = family_factory()
    c = family_factory(account=a.account)
    assert c.stream != a.stream
    return a, sms, voice, lid, [b, c]


def test_other_tenants_campaigns_are_unknown_on_every_route(other_tenant_objects):
    a, sms, voice, lid, others = other_tenant_objects
    before = (a.get_raw(sms), a.get_raw(voice))
    for o in others:
        for cid in (sms, voice):
            for method, path in UNKNOWN_OBJECT_CASES:
                r = o.req(method, path.format(x=cid), {"description": "stolen"})
                assert_error(r, 404)
            assert_error(o.req("GET", f"/{cid}", alias=True), 404)
    assert (a.get_raw(sms), a.get_raw(voice)) == before
    assert a.get(voice)["status"] == "Ready"


def test_other_tenants_lists_are_unknown_on_every_route(other_tenant_objects):
    a, sms, voice, lid, others = other_tenant_objects
    before = a.get_list(lid)
    for o in others:
        for method, path in UNKNOWN_LIST_CASES:
            assert_error(o.req(method, path.format(x=lid), {"name": "stolen"}), 404)
        r = o.req("POST", "/contactList/addContacts",
                  {"contact_list_name": "CL", "data": [{"phoneNumber": "+14155550177"}]})
        assert_error(r, 404, ["contact_list_name"])
        assert o.lists() == []
    assert a.get_list(lid) == before


def test_other_tenants_campaign_names_are_unknown_to_schedules(other_tenant_objects):
    a, sms, voice, lid, others = other_tenant_objects
    for o in others:
        for name in ("Tenant SMS", "Tenant Voice"):
            assert_error(o.schedule(name), 404, ["query.campaignName"])
            assert_error(o.schedule(name, enable=False), 404, ["query.campaignName"])
    assert a.get(sms)["status"] == "Ready"


def test_other_tenants_list_names_do_not_resolve(other_tenant_objects):
    a, sms, voice, lid, others = other_tenant_objects
    for o in others:
        o.create_list("Mine")
        r = o.create(sms_body("X", ["CL"]), expect=None)
        assert_error(r, 400, ["contactLists[0]"])
        r = o.create(voice_body("X", ["Mine"], "DNC"), expect=None)
        assert_error(r, 400, ["dncLists.name"])
        # names are per tenant: B may use A's names freely
        o.create_list("CL")
        o.create_list("DNC")
        o.create_sms("Tenant SMS")
        o.create_voice("Tenant Voice")
    assert [c["name"] for c in a.listing("sms")] == ["Tenant SMS"]


def test_registries_do_not_resolve_across_tenants(family_factory):
    a, b = family_factory(), family_factory()
    fa = a.registry_add("flow", "Shared Flow")
    fb = b.registry_add("flow", "Shared Flow")
    assert fa != fb
    for f in (a, b):
        f.setup_lists()
    ida = a.create_sms("Adv", variant="advanced", experienceFlowName="shared flow")
    idb = b.create_sms("Adv", variant="advanced", experienceFlowName="SHARED FLOW")
    assert a.get(ida)["experienceFlow"] == fa
    assert b.get(idb)["experienceFlow"] == fb


def test_schedule_campaign_name_is_percent_decoded(fam):
    fam.setup_lists()
    cid = fam.create_sms("Name/With ?&#%")
    r = fam.schedule("x", quoted=quote("name/with ?&#%", safe=""))
    assert r.status_code == 200, r.text
    assert r.json()["id"] == cid


# ---- body framing (contract §2, family spec §1.1 step 1) -----------------------------


def _framing_targets(fam):
    fam.setup_lists()
    cid = fam.create_sms("Framing")
    lid = fam.lists()[0]["_id"]
    return [("POST", "?campaignType=sms", sms_body("Framed", ["CL"])),
            ("PUT", f"/{cid}", {"description": "x"}),
            ("POST", "/contactList/createContactList",
             {"name": "Framed", "description": "", "source": "passiveApi"}),
            ("PUT", f"/contactList/{lid}", {"description": "x"}),
            ("POST", "/contactList/addContacts",
             {"contact_list_name": "CL", "data": [{"phoneNumber": "+14155550150"}]}),
            ("POST", "/schedule?enableSchedule=true&campaignName=Framing", DAILY)]


def test_unsupported_content_type_is_415(fam):
    for method, path, body in _framing_targets(fam):
        r = fam.req(method, path, body, headers={"Content-Type": "text/plain"})
        assert_error(r, 415)
    assert [c["name"] for c in fam.listing("sms")] == ["Framing"]
    assert fam.get(fam.listing("sms")[0]["id"])["status"] == "Ready"


def test_form_urlencoded_bodies_are_read_as_json(fam):
    # what curl --data sends when a sample names no Content-Type (contract §2)
    for method, path, body in _framing_targets(fam):
        r = fam.req(method, path, body,
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status_code in (200, 201), (path, r.text)


def test_content_type_with_parameters_is_json(fam):
    fam.setup_lists()
    r = fam.req("POST", "?campaignType=sms", sms_body("Charset", ["CL"]),
                headers={"Content-Type": "application/json;charset=UTF-8"})
    assert r.status_code == 201, r.text
