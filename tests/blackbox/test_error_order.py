"""The order of errors[] (README, API notes: "Order of errors[]"): problems
are listed in the order the request is read, and the paging numbers are
always read limit, skip, page, on every route that takes them."""
from conftest import fields_of, list_ok, post_list


def fields_in_order(resp):
    assert resp.status_code == 400, resp.text
    return fields_of(resp.json())


def test_listing_reports_paging_in_order(http, demo_server, demo_tenant):
    r = post_list(http, demo_server, demo_tenant,
                  {"type": "sms", "page": 0, "skip": -1, "limit": 0})
    assert fields_in_order(r) == ["limit", "skip", "page"]
    # The valid request next to it answers: the order is not an accident of failure.
    assert list_ok(http, demo_server, demo_tenant, {"type": "sms", "page": 1, "skip": 0,
                                                    "limit": 1})["data"]["limit"] == 1


def test_get_contacts_reports_paging_in_order(fam):
    lid = fam.create_list("Order")["_id"]
    r = fam.req("GET", f"/contactList/{lid}/getAllContacts?page=0&skip=-1&limit=0")
    assert fields_in_order(r) == ["query.limit", "query.skip", "query.page"]


def test_contacts_view_reports_paging_in_order(fam):
    fam.setup_lists()
    cid = fam.create_voice()
    r = fam.req("POST", f"/{cid}/status?view=contacts", {"page": 0, "limit": 0})
    assert fields_in_order(r) == ["limit", "page"]
