"""Family spec §9: contact lists (also the DNC lists): create, get all, get,
update, delete, the contacts of a list, and adding contacts."""
import pytest

from conftest import (ADD_CONTACTS_MESSAGE, CC_RE, CL_RE, LIST_CREATE_KEYS, LIST_FULL_KEYS,
                      LIST_MAPPING, LIST_SUMMARY_KEYS, LONGEST_NAME, TS_RE, UNKNOWN_CL, app_create,
                      assert_conflict, assert_error, tick)

CONTACT_KEYS = ["_id", "createdAt", "updatedAt", "phoneNumber", "firstName", "lastName",
                "timeZone", "uniqueId", "contactPriority"]


def create_list(fam, body):
    return fam.req("POST", "/contactList/createContactList", body)


def add(fam, body):
    return fam.req("POST", "/contactList/addContacts", body)


# ---- create ---------------------------------------------------------------------


@pytest.mark.parametrize("allow", [None, False, True])
def test_create_response(fam, allow):
    body = {"name": "Renewals", "description": "due", "source": "passiveApi"}
    if allow is not None:
        body["allowDuplicates"] = allow
    r = create_list(fam, body)
    assert r.status_code == 201, r.text
    doc = r.json()
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Contact list Renewals created successfully"
    d = doc["data"]
    assert list(d) == LIST_CREATE_KEYS
    assert CL_RE.match(d["_id"])
    assert (d["isActive"], d["name"], d["description"], d["totalRecordCount"], d["status"]) == \
        (True, "Renewals", "due", 0, "Ready")
    assert d["createdBy"] == d["updatedBy"] == fam.tenant.client_id
    assert list(d["mapping"]) == list(LIST_MAPPING) and d["mapping"] == LIST_MAPPING
    assert (d["isListInUse"], d["listType"], d["isGlobalDNC"], d["isDefault"]) == \
        (False, "call", False, False)
    assert (d["campaignInUse"], d["source"], d["columns"], d["files"]) == \
        ([], "passiveApi", [], [])
    assert d["allowDuplicates"] is bool(allow)
    assert d["apiConfigurations"] == \
        {"dataSyncMode": "allowDuplicates" if allow else "skipDuplicates"}
    assert TS_RE.match(d["createdAt"]) and d["updatedAt"] == d["createdAt"]


@pytest.mark.parametrize("body,field", [
    ({"description": "", "source": "passiveApi"}, "name"),
    ({"name": "", "description": "", "source": "passiveApi"}, "name"),
    ({"name": "  ", "description": "", "source": "passiveApi"}, "name"),
    ({"name": "a\u0001b", "description": "", "source": "passiveApi"}, "name"),
    ({"name": "a\u007fb", "description": "", "source": "passiveApi"}, "name"),
    ({"name": "n" * 49, "description": "", "source": "passiveApi"}, "name"),
    ({"name": 1, "description": "", "source": "passiveApi"}, "name"),
    ({"name": None, "description": "", "source": "passiveApi"}, "name"),
    ({"name": "N", "source": "passiveApi"}, "description"),
    ({"name": "N", "description": None, "source": "passiveApi"}, "description"),
    ({"name": "N", "description": "d" * 257, "source": "passiveApi"}, "description"),
    ({"name": "N", "description": ""}, "source"),
    ({"name": "N", "description": "", "source": "localDrive"}, "source"),
    ({"name": "N", "description": "", "source": "passiveapi"}, "source"),
    ({"name": "N", "description": "", "source": None}, "source"),
    ({"name": "N", "description": "", "source": "passiveApi", "allowDuplicates": "true"},
     "allowDuplicates"),
    ({"name": "N", "description": "", "source": "passiveApi", "allowDuplicates": 1},
     "allowDuplicates"),
    ({"name": "N", "description": "", "source": "passiveApi", "allowDuplicates": None},
     "allowDuplicates"),
])
def test_create_field_rules(fam, body, field):
    assert_error(create_list(fam, body), 400, [field])
    assert fam.lists() == []


def test_nul_in_a_name_is_reported_on_name(fam):
    # "\u0000" is valid JSON; family spec §1.2 forbids U+0000 in names: 400 name
    r = fam.req("POST", "/contactList/createContactList",
                raw=b'{"name": "a\\u0000b", "description": "", "source": "passiveApi"}')
    assert_error(r, 400, ["name"])
    r = fam.req("POST", "?campaignType=sms",
                raw=b'{"name": "a\\u0000b", "campaignType": "sms"}')
    assert_error(r, 400, ["name"])
    assert fam.lists() == []


def test_create_lists_every_error(fam):
    r = create_list(fam, {"name": "", "description": 5, "source": "x", "allowDuplicates": "no"})
    assert_error(r, 400, ["name", "description", "source", "allowDuplicates"])


@pytest.mark.parametrize("raw", [b"", b"[]", b"{", b'{"name": "A", "name": "B", '
                                 b'"description": "", "source": "passiveApi"}'])
def test_create_body_must_be_one_object(fam, raw):
    assert_error(fam.req("POST", "/contactList/createContactList", raw=raw), 400)
    assert fam.lists() == []


def test_limits_and_unknown_keys(fam):
    r = create_list(fam, {"name": "n" * 48, "description": "d" * 256, "source": "passiveApi",
                          "listType": "sms", "isGlobalDNC": True, "orgId": "o-1"})
    assert r.status_code == 201, r.text
    d = fam.get_list(r.json()["data"]["_id"])
    assert d["listType"] == "call" and d["isGlobalDNC"] is False and "orgId" not in d


def test_list_names_are_unique_case_insensitively(fam):
    fam.create_list("Dup List")
    r = create_list(fam, {"name": "DUP list", "description": "", "source": "passiveApi"})
    assert_error(r, 409, ["name"])
    assert [x["name"] for x in fam.lists()] == ["Dup List"]


def test_list_name_validation_comes_before_uniqueness(fam):
    fam.create_list("Taken")
    r = create_list(fam, {"name": "Taken", "description": "", "source": "nope"})
    assert_error(r, 400, ["source"])


# ---- get / get all ------------------------------------------------------------------


def test_get_one_full_document(fam):
    created = fam.create_list("Full", description="desc", allow_duplicates=True)
    r = fam.req("GET", f"/contactList/{created['_id']}")
    doc = r.json()
    assert list(doc) == ["status", "message", "data"] and doc["message"] == ""
    assert list(doc["data"]) == LIST_FULL_KEYS
    assert doc["data"] == created


def test_campaign_in_use_order_and_consistency(fam):
    fam.setup_lists()
    fam.create_list("Extra")
    a = fam.create_sms("A sms", lists=("CL",))
    b = fam.create_voice("B voice", lists=("Extra", "CL"), dnc="DNC")
    c = fam.create_sms("C sms", lists=("Extra",), dnc="CL")
    lists = {x["name"]: x for x in fam.lists()}
    assert lists["CL"]["campaignInUse"] == [{"name": "A sms", "id": a},
                                            {"name": "B voice", "id": b},
                                            {"name": "C sms", "id": c}]
    assert [list(x) for x in lists["CL"]["campaignInUse"]] == [["name", "id"]] * 3
    assert lists["DNC"]["campaignInUse"] == [{"name": "B voice", "id": b}]
    for x in lists.values():
        assert x["isListInUse"] is bool(x["campaignInUse"])
    full = fam.get_list(lists["CL"]["_id"])
    assert full["campaignInUse"] == lists["CL"]["campaignInUse"] and full["isListInUse"] is True


def test_get_all_summary_order_by_updated_at(fam):
    a = fam.create_list("First")
    b = fam.create_list("Second")
    c = fam.create_list("Third")
    r = fam.req("POST", "/contactList/getAllListDetails?type=call", {})
    doc = r.json()
    assert list(doc) == ["status", "message", "data"]
    assert doc["status"] == "success" and doc["message"] == ""
    assert [x["_id"] for x in doc["data"]] == [c["_id"], b["_id"], a["_id"]]
    for x in doc["data"]:
        assert list(x) == LIST_SUMMARY_KEYS
    full = fam.get_list(a["_id"])
    assert doc["data"][2] == {k: full[k] for k in LIST_SUMMARY_KEYS}
    # adding a contact moves a list to the front
    fam.add_contacts("first", ["+14155550100"])
    assert [x["_id"] for x in fam.lists()] == [a["_id"], c["_id"], b["_id"]]


def test_get_all_ties_are_broken_by_id_descending(fam):
    made = [fam.create_list(f"T{i}") for i in range(6)]
    got = fam.lists()
    keys = [(x["updatedAt"], x["_id"]) for x in got]
    assert keys == sorted(keys, reverse=True)
    assert len(got) == len(made)


@pytest.mark.parametrize("query,raw", [("", None), ("?type=call", b'{"x": 1}'),
                                       ("?type=call", b"{}"), ("", b"{}")])
def test_get_all_type_is_optional_and_body_ignored(fam, query, raw):
    fam.create_list("One")
    r = fam.req("POST", "/contactList/getAllListDetails" + query, raw=raw)
    assert r.status_code == 200, r.text
    assert [x["name"] for x in r.json()["data"]] == ["One"]


@pytest.mark.parametrize("type_", ["sms", "", "CALL", "voice"])
def test_get_all_type_must_be_call(fam, type_):
    assert_error(fam.req("POST", f"/contactList/getAllListDetails?type={type_}", {}), 400,
                 ["query.type"])


def test_get_all_of_an_empty_tenant(fam):
    r = fam.req("POST", "/contactList/getAllListDetails", {})
    assert r.json() == {"status": "success", "message": "", "data": []}


# ---- update ---------------------------------------------------------------------------


def test_update_response_body_keys_follow_the_documented_order(fam):
    lid = fam.create_list("Before")["_id"]
    r = fam.req("PUT", f"/contactList/{lid}",
                {"allowDuplicates": True, "description": "new", "name": "After"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Contact list After updated successfully"
    assert list(doc["data"]) == ["contactListId", "body"]
    assert doc["data"]["contactListId"] == lid
    assert list(doc["data"]["body"]) == ["name", "description", "allowDuplicates", "scope", "iId",
                                         "listType", "accountId", "updatedBy"]
    assert doc["data"]["body"] == {"name": "After", "description": "new", "allowDuplicates": True,
                                   "scope": ["campaign_management"], "iId": fam.stream,
                                   "listType": "call", "accountId": fam.account,
                                   "updatedBy": fam.tenant.client_id}
    d = fam.get_list(lid)
    assert (d["name"], d["description"], d["allowDuplicates"]) == ("After", "new", True)
    assert d["apiConfigurations"] == {"dataSyncMode": "allowDuplicates"}


def test_update_with_empty_body(fam):
    lid = fam.create_list("Same")["_id"]
    before = fam.get_list(lid)
    r = fam.req("PUT", f"/contactList/{lid}", {})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["message"] == "Contact list Same updated successfully"
    assert list(doc["data"]["body"]) == ["scope", "iId", "listType", "accountId", "updatedBy"]
    after = fam.get_list(lid)
    assert {k: v for k, v in after.items() if k != "updatedAt"} == \
        {k: v for k, v in before.items() if k != "updatedAt"}


def test_updated_by_is_the_caller(fam):
    lid = fam.create_list("Who")["_id"]
    # a second client of the same app
    other = app_create(fam.db, account=fam.account, stream=fam.stream)
    r = fam.req("PUT", f"/contactList/{lid}", {"description": "x"},
                headers={"auth": other.token()})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["body"]["updatedBy"] == other.client_id
    d = fam.get_list(lid)
    assert d["updatedBy"] == other.client_id and d["createdBy"] == fam.tenant.client_id


@pytest.mark.parametrize("body,field", [
    ({"name": ""}, "name"), ({"name": "n" * 49}, "name"), ({"name": None}, "name"),
    ({"name": 3}, "name"), ({"description": "d" * 257}, "description"),
    ({"description": None}, "description"), ({"allowDuplicates": "false"}, "allowDuplicates"),
    ({"allowDuplicates": None}, "allowDuplicates"),
])
def test_update_field_rules(fam, body, field):
    lid = fam.create_list("Rules")["_id"]
    before = fam.get_list(lid)
    assert_error(fam.req("PUT", f"/contactList/{lid}", body), 400, [field])
    assert fam.get_list(lid) == before


def test_rename_conflict_and_self_rename(fam):
    a = fam.create_list("Alpha")["_id"]
    fam.create_list("Beta")
    assert_error(fam.req("PUT", f"/contactList/{a}", {"name": "BETA"}), 409, ["name"])
    r = fam.req("PUT", f"/contactList/{a}", {"name": "ALPHA"})
    assert r.status_code == 200
    assert fam.get_list(a)["name"] == "ALPHA"


def test_rename_shows_at_once_in_campaigns(fam):
    fam.setup_lists()
    s = fam.create_sms("S", dnc="DNC")
    v = fam.create_voice("V")
    lists = {x["name"]: x["_id"] for x in fam.lists()}
    fam.req("PUT", f"/contactList/{lists['CL']}", {"name": "Renamed CL"})
    fam.req("PUT", f"/contactList/{lists['DNC']}", {"name": "Renamed DNC"})
    for cid in (s, v):
        d = fam.get(cid)
        assert d["contactLists"] == ["Renamed CL"]
        assert d["dncLists"]["name"] == "Renamed DNC"
    assert fam.get(v)["dncLists"] == {"id": lists["DNC"], "name": "Renamed DNC"}
    assert fam.listed("sms", s)["contactLists"] == ["Renamed CL"]
    assert fam.listed("voice", v)["dncLists"] == {"id": lists["DNC"], "name": "Renamed DNC"}
    # campaigns refer to the list under its new name only
    assert fam.update(s, {"contactLists": ["renamed cl"]}).status_code == 200
    assert_error(fam.update(s, {"contactLists": ["CL"]}), 400, ["contactLists[0]"])
    # and the old name is free
    fam.create_list("CL")


def test_allow_duplicates_off_keeps_existing_duplicates(fam):
    lid = fam.create_list("Dups", allow_duplicates=True)["_id"]
    fam.add_contacts("Dups", ["+14155550100", "+14155550100"])
    fam.req("PUT", f"/contactList/{lid}", {"allowDuplicates": False})
    assert fam.get_list(lid)["totalRecordCount"] == 2
    fam.add_contacts("Dups", ["14155550100"])
    assert fam.get_list(lid)["totalRecordCount"] == 2


# ---- delete ------------------------------------------------------------------------


def test_delete_returns_the_full_list_and_frees_the_name(fam):
    created = fam.create_list("Doomed", description="bye")
    fam.add_contacts("Doomed", ["+14155550100"])
    before = fam.get_list(created["_id"])
    r = fam.req("DELETE", f"/contactList/{created['_id']}")
    assert r.status_code == 200
    doc = r.json()
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Contact list Doomed deleted successfully"
    assert doc["data"] == before and list(doc["data"]) == LIST_FULL_KEYS
    assert_error(fam.req("GET", f"/contactList/{created['_id']}"), 404)
    assert_error(fam.req("GET", f"/contactList/{created['_id']}/getAllContacts"), 404)
    assert_error(add(fam, {"contact_list_name": "Doomed", "data": [{"phoneNumber": "1234567"}]}),
                 404, ["contact_list_name"])
    again = fam.create_list("doomed")
    assert again["_id"] != created["_id"] and again["totalRecordCount"] == 0


def test_delete_of_a_list_in_use_is_409(fam):
    fam.setup_lists()
    fam.create_list("Other")
    fam.create_sms("Zeta")
    fam.create_voice("Alpha V", lists=("Other", "CL"))
    fam.create_sms("Mid", lists=("Other",), dnc="CL")
    lists = {x["name"]: x["_id"] for x in fam.lists()}
    before = fam.get_list(lists["CL"])
    assert_conflict(fam.req("DELETE", f"/contactList/{lists['CL']}"),
                    "Contact list CL is used by campaigns: Zeta, Alpha V, Mid")
    assert_conflict(fam.req("DELETE", f"/contactList/{lists['DNC']}"),
                    "Contact list DNC is used by campaigns: Alpha V")
    assert fam.get_list(lists["CL"]) == before
    # once the campaigns are gone the list can go
    for c in fam.listing("sms") + fam.listing("voice"):
        assert fam.delete(c.get("_id", c.get("id"))).status_code == 200
    assert fam.req("DELETE", f"/contactList/{lists['CL']}").status_code == 200


def test_in_use_sentence_names_every_campaign(fam):
    fam.setup_lists()
    names = [f"{chr(65 + i)}" * 48 for i in range(6)]
    for n in names:
        fam.create_sms(n)
    lid = [x["_id"] for x in fam.lists() if x["name"] == "CL"][0]
    assert_conflict(fam.req("DELETE", f"/contactList/{lid}"),
                    "Contact list CL is used by campaigns: " + ", ".join(names))


def test_list_sentences_with_the_longest_multibyte_name(fam):
    r = create_list(fam, {"name": LONGEST_NAME, "description": "", "source": "passiveApi"})
    assert r.status_code == 201, r.text
    assert r.json()["message"] == f"Contact list {LONGEST_NAME} created successfully"


def test_list_update_and_delete_sentences_with_the_longest_multibyte_name(fam):
    lid = fam.create_list("Short")["_id"]
    r = fam.req("PUT", f"/contactList/{lid}", {"name": LONGEST_NAME})
    assert r.status_code == 200, r.text
    assert r.json()["message"] == f"Contact list {LONGEST_NAME} updated successfully"
    r = fam.req("DELETE", f"/contactList/{lid}")
    assert r.status_code == 200, r.text
    assert r.json()["message"] == f"Contact list {LONGEST_NAME} deleted successfully"


# ---- contacts of a list ------------------------------------------------------------


def test_get_contacts_default_page_and_paging(fam):
    lid = fam.create_list("Big")["_id"]
    numbers = [f"+1415555{i:04d}" for i in range(120)]
    fam.add_contacts("Big", numbers[:60])
    fam.add_contacts("Big", numbers[60:])
    r = fam.req("GET", f"/contactList/{lid}/getAllContacts")
    doc = r.json()
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Contacts retrieved successfully"
    d = doc["data"]
    assert list(d) == ["results", "skip", "limit", "hasMore", "totalPages", "totalResults"]
    assert (d["skip"], d["limit"], d["hasMore"], d["totalPages"], d["totalResults"]) == \
        (0, 50, True, 3, 120)
    assert [c["phoneNumber"] for c in d["results"]] == numbers[:50]
    for c in d["results"]:
        assert list(c) == ["_id", "createdAt", "updatedAt", "phoneNumber"]
        assert CC_RE.match(c["_id"]) and TS_RE.match(c["createdAt"])
        assert c["updatedAt"] == c["createdAt"]
    d = fam.contacts_of(lid, "?page=3")
    assert [c["phoneNumber"] for c in d["results"]] == numbers[100:]
    assert (d["skip"], d["hasMore"]) == (100, False)
    d = fam.contacts_of(lid, "?skip=5&limit=10&page=2")
    assert [c["phoneNumber"] for c in d["results"]] == numbers[15:25]
    assert (d["skip"], d["limit"], d["hasMore"], d["totalPages"]) == (15, 10, True, 12)
    d = fam.contacts_of(lid, "?skip=1000")
    assert d["results"] == [] and d["totalResults"] == 120 and d["hasMore"] is False
    d = fam.contacts_of(lid, "?limit=100&skip=&page=")
    assert len(d["results"]) == 100 and d["skip"] == 0


@pytest.mark.parametrize("query,field", [("?limit=0", "query.limit"), ("?limit=101", "query.limit"),
                                         ("?limit=-1", "query.limit"), ("?limit=x", "query.limit"),
                                         ("?skip=-1", "query.skip"), ("?skip=1.5", "query.skip"),
                                         ("?page=0", "query.page"), ("?page=abc", "query.page")])
def test_get_contacts_query_rules(fam, query, field):
    lid = fam.create_list("Q")["_id"]
    assert_error(fam.req("GET", f"/contactList/{lid}/getAllContacts{query}"), 400, [field])


def test_get_contacts_of_an_empty_list(fam):
    lid = fam.create_list("Empty")["_id"]
    assert fam.contacts_of(lid) == {"results": [], "skip": 0, "limit": 50, "hasMore": False,
                                    "totalPages": 0, "totalResults": 0}


# ---- add contacts --------------------------------------------------------------------


def test_add_contacts_response_and_stored_fields(fam):
    lid = fam.create_list("People")["_id"]
    r = add(fam, {"contact_list_name": "people", "data": [
        {"contactPriority": "1", "uniqueId": "U-1", "timeZone": "Europe/London",
         "extra": "x", "lastName": "Lovelace", "firstName": "Ada", "phoneNumber": "+14155550100"},
        {"phoneNumber": "14155550101"},
        {"uniqueId": "U-3", "phoneNumber": "+919876543210", "firstName": ""}]})
    assert r.status_code == 200, r.text
    assert r.json() == {"message": ADD_CONTACTS_MESSAGE}
    assert r.headers["Content-Type"].split(";")[0] == "application/json"
    rows = fam.contacts_of(lid)["results"]
    assert [c["phoneNumber"] for c in rows] == ["+14155550100", "14155550101", "+919876543210"]
    assert list(rows[0]) == CONTACT_KEYS
    assert {k: rows[0][k] for k in CONTACT_KEYS[3:]} == {
        "phoneNumber": "+14155550100", "firstName": "Ada", "lastName": "Lovelace",
        "timeZone": "Europe/London", "uniqueId": "U-1", "contactPriority": "1"}
    assert list(rows[1]) == CONTACT_KEYS[:4]
    # §9.7: the optional fields follow phoneNumber in the mapping's order
    # (§9.1), whatever order they were sent in
    assert list(rows[2]) == ["_id", "createdAt", "updatedAt", "phoneNumber", "firstName",
                             "uniqueId"]
    assert rows[2]["uniqueId"] == "U-3"
    assert "extra" not in rows[0]
    assert fam.get_list(lid)["totalRecordCount"] == 3


@pytest.mark.parametrize("item,field", [
    ({}, "data[1].phoneNumber"), ({"phoneNumber": ""}, "data[1].phoneNumber"),
    ({"phoneNumber": "+0123456789"}, "data[1].phoneNumber"),
    ({"phoneNumber": "123456"}, "data[1].phoneNumber"),
    ({"phoneNumber": "1234567890123456"}, "data[1].phoneNumber"),
    ({"phoneNumber": "+1-415-555-0100"}, "data[1].phoneNumber"),
    ({"phoneNumber": 14155550100}, "data[1].phoneNumber"),
    ({"phoneNumber": None}, "data[1].phoneNumber"),
    ({"phoneNumber": "+14155550100", "firstName": "f" * 129}, "data[1].firstName"),
    ({"phoneNumber": "+14155550100", "lastName": 1}, "data[1].lastName"),
    ({"phoneNumber": "+14155550100", "timeZone": None}, "data[1].timeZone"),
    ({"phoneNumber": "+14155550100", "uniqueId": ["u"]}, "data[1].uniqueId"),
    ({"phoneNumber": "+14155550100", "contactPriority": 1}, "data[1].contactPriority"),
    ("+14155550100", "data[1]"),
])
def test_add_contacts_item_rules_all_or_nothing(fam, item, field):
    lid = fam.create_list("Strict")["_id"]
    fam.add_contacts("Strict", ["+14155550001"])
    before = fam.get_list(lid)
    r = add(fam, {"contact_list_name": "Strict",
                  "data": [{"phoneNumber": "+14155550002"}, item, {"phoneNumber": "14155550003"}]})
    assert_error(r, 400, [field])
    assert fam.get_list(lid) == before
    assert [c["phoneNumber"] for c in fam.contacts_of(lid)["results"]] == ["+14155550001"]


def test_add_contacts_lists_every_bad_item(fam):
    fam.create_list("Strict")
    r = add(fam, {"contact_list_name": "Strict", "data": [
        {"phoneNumber": "1"}, {"phoneNumber": "+14155550100"}, {"phoneNumber": "x"}]})
    assert_error(r, 400, ["data[0].phoneNumber", "data[2].phoneNumber"])


@pytest.mark.parametrize("body,field", [
    ({"data": [{"phoneNumber": "+14155550100"}]}, "contact_list_name"),
    ({"contact_list_name": 5, "data": [{"phoneNumber": "+14155550100"}]}, "contact_list_name"),
    ({"contact_list_name": None, "data": [{"phoneNumber": "+14155550100"}]}, "contact_list_name"),
    ({"contact_list_name": "L"}, "data"), ({"contact_list_name": "L", "data": []}, "data"),
    ({"contact_list_name": "L", "data": {"phoneNumber": "+14155550100"}}, "data"),
    ({"contact_list_name": "L", "data": None}, "data"),
    ({"contact_list_name": "L", "data": [{"phoneNumber": f"+1415555{i:04d}"}
                                         for i in range(1001)]}, "data"),
])
def test_add_contacts_body_rules(fam, body, field):
    lid = fam.create_list("L")["_id"]
    assert_error(add(fam, body), 400, [field])
    assert fam.get_list(lid)["totalRecordCount"] == 0


def test_add_contacts_accepts_1000_items(fam):
    lid = fam.create_list("K")["_id"]
    fam.add_contacts("K", [f"+1415555{i:04d}" for i in range(1000)])
    assert fam.get_list(lid)["totalRecordCount"] == 1000


def test_add_contacts_unknown_list_is_404(fam):
    fam.create_list("Known")
    assert_error(add(fam, {"contact_list_name": "Unknown",
                           "data": [{"phoneNumber": "+14155550100"}]}), 404, ["contact_list_name"])


def test_add_contacts_unknown_list_comes_before_item_errors(fam):
    # family spec §1.1: the target object (404) before the body fields (400)
    r = add(fam, {"contact_list_name": "Unknown", "data": [{"phoneNumber": "bad"}]})
    assert_error(r, 404, ["contact_list_name"])


def test_duplicates_are_skipped_by_digits(fam):
    lid = fam.create_list("Skip")["_id"]
    fam.add_contacts("Skip", ["+14155550100", "14155550101"])
    fam.add_contacts("Skip", ["14155550100", "+14155550102", "+14155550101", "14155550102",
                              "+14155550103"])
    rows = fam.contacts_of(lid)["results"]
    assert [c["phoneNumber"] for c in rows] == ["+14155550100", "14155550101", "+14155550102",
                                                "+14155550103"]
    assert fam.get_list(lid)["totalRecordCount"] == 4


def test_duplicates_are_added_when_allowed(fam):
    lid = fam.create_list("Allow", allow_duplicates=True)["_id"]
    fam.add_contacts("Allow", ["+14155550100", "14155550100", "+14155550100"])
    fam.add_contacts("Allow", ["+14155550100"])
    assert [c["phoneNumber"] for c in fam.contacts_of(lid)["results"]] == \
        ["+14155550100", "14155550100", "+14155550100", "+14155550100"]
    assert fam.get_list(lid)["totalRecordCount"] == 4


def test_updated_at_moves_only_when_a_contact_is_added(fam):
    lid = fam.create_list("Moves")["_id"]
    t0 = fam.get_list(lid)["updatedAt"]
    tick()
    fam.add_contacts("Moves", ["+14155550100"])
    t1 = fam.get_list(lid)["updatedAt"]
    assert t1 > t0
    tick()
    fam.add_contacts("Moves", ["14155550100", "+14155550100"])
    d = fam.get_list(lid)
    assert d["updatedAt"] == t1 and d["totalRecordCount"] == 1
    # a rejected request moves nothing either
    add(fam, {"contact_list_name": "Moves", "data": [{"phoneNumber": "+14155550101"},
                                                     {"phoneNumber": "nope"}]})
    assert fam.get_list(lid)["updatedAt"] == t1


def test_contacts_are_kept_verbatim(fam):
    lid = fam.create_list("Verbatim")["_id"]
    fam.add_contacts("Verbatim", [{"phoneNumber": "+14155550100", "firstName": "Zoë 😀",
                                   "lastName": "O'Brien \"Q\""}])
    c = fam.contacts_of(lid)["results"][0]
    assert (c["firstName"], c["lastName"]) == ("Zoë 😀", "O'Brien \"Q\"")


def test_list_used_by_a_running_campaign_still_takes_contacts(fam):
    fam.setup_lists()
    cid = fam.create_voice("Running")
    fam.start(cid)
    fam.add_contacts("CL", ["+14155550155"])
    assert [x for x in fam.lists() if x["name"] == "CL"][0]["totalRecordCount"] == 3


def test_unknown_list_id_routes(fam):
    for method, path in [("GET", f"/contactList/{UNKNOWN_CL}"),
                         ("DELETE", f"/contactList/{UNKNOWN_CL}"),
                         ("GET", f"/contactList/{UNKNOWN_CL}/getAllContacts")]:
        assert_error(fam.req(method, path), 404)
