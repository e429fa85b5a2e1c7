"""Contract §3: validation of the Get All Campaigns request body."""
import json

import pytest

from conftest import assert_error, fields_of, list_ok, post_list

SMS_TOTAL = 7       # documented SMS sample campaigns in the demo tenant
VOICE_TOTAL = 5


def _case_id(v):
    return json.dumps(v) if isinstance(v, dict) else str(v)


def bad(http, server, tenant, body, fields, raw=None):
    r = post_list(http, server, tenant, body, raw=raw)
    return assert_error(r, 400, fields)


# ---- type ----------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    {}, {"type": None}, {"type": ""}, {"type": "Voice"}, {"type": "SMS"}, {"type": "email"},
    {"type": 1}, {"type": ["sms"]}, {"type": True}, {"limit": 5},
])
def test_type_missing_or_invalid(http, demo_server, demo_tenant, body):
    b = bad(http, demo_server, demo_tenant, body, ["type"])
    assert fields_of(b) == ["type"]


@pytest.mark.parametrize("type_,total", [("voice", VOICE_TOTAL), ("sms", SMS_TOTAL)])
def test_type_selects_campaigns(http, demo_server, demo_tenant, type_, total):
    d = list_ok(http, demo_server, demo_tenant, {"type": type_})["data"]
    assert d["totalResults"] == total
    key = "_id" if type_ == "voice" else "id"
    assert all(key in item for item in d["results"])


# ---- limit / skip / page ---------------------------------------------------------


@pytest.mark.parametrize("value,expected", [
    (1, 1), (100, 100), (7, 7), ("5", 5), ("100", 100), ("007", 7), ("", 10), (None, 10),
])
def test_valid_limit_values(http, demo_server, demo_tenant, value, expected):
    d = list_ok(http, demo_server, demo_tenant, {"type": "sms", "limit": value})["data"]
    assert d["limit"] == expected
    assert isinstance(d["limit"], int)
    assert len(d["results"]) == min(expected, SMS_TOTAL)


def test_absent_pagination_uses_the_defaults(http, demo_server, demo_tenant):
    d = list_ok(http, demo_server, demo_tenant, {"type": "sms"})["data"]
    assert d["limit"] == 10 and d["skip"] == 0


INVALID_COUNTS = [0, -1, 101, 1.0, 1.5, True, False, "abc", "-1", "1.0", "1.5", " 5", "5 ",
                  "+5", "0x10", "1e2", [], {}, [5], "99999999999999999999", 10 ** 15]


@pytest.mark.parametrize("value", INVALID_COUNTS, ids=repr)
def test_invalid_limit(http, demo_server, demo_tenant, value):
    b = bad(http, demo_server, demo_tenant, {"type": "sms", "limit": value}, ["limit"])
    assert fields_of(b) == ["limit"]


@pytest.mark.parametrize("value", [-1, 1000000001, 1.0, 0.5, True, "abc", "-1", "1 ", [],
                                   "99999999999999999999"], ids=repr)
def test_invalid_skip(http, demo_server, demo_tenant, value):
    b = bad(http, demo_server, demo_tenant, {"type": "sms", "skip": value}, ["skip"])
    assert fields_of(b) == ["skip"]


@pytest.mark.parametrize("value", [0, -1, 1000000001, 2.0, False, "0", "abc", "-2", {}],
                         ids=repr)
def test_invalid_page(http, demo_server, demo_tenant, value):
    b = bad(http, demo_server, demo_tenant, {"type": "sms", "page": value}, ["page"])
    assert fields_of(b) == ["page"]


@pytest.mark.parametrize("body,skip", [
    ({"skip": 0}, 0), ({"skip": "3"}, 3), ({"skip": ""}, 0), ({"skip": None}, 0),
    ({"page": ""}, 0), ({"page": None}, 0), ({"page": "2", "limit": "2"}, 2),
    ({"skip": 1000000000}, 1000000000), ({"page": 1000000000, "limit": 1}, 999999999),
])
def test_valid_skip_and_page_values(http, demo_server, demo_tenant, body, skip):
    d = list_ok(http, demo_server, demo_tenant, dict(body, type="sms"))["data"]
    assert d["skip"] == skip
    assert d["totalResults"] == SMS_TOTAL


def test_largest_offset_does_not_overflow(http, demo_server, demo_tenant):
    d = list_ok(http, demo_server, demo_tenant,
                {"type": "sms", "skip": 1000000000, "page": 1000000000, "limit": 100})["data"]
    assert d["skip"] == 1000000000 + 999999999 * 100
    assert d["results"] == []
    assert d["totalResults"] == SMS_TOTAL
    assert d["totalPages"] == 1
    assert d["hasMore"] is False


def test_huge_json_integer_is_400(http, demo_server, demo_tenant):
    bad(http, demo_server, demo_tenant, None, None,
        raw=b'{"type":"sms","limit":100000000000000000000000000000}')


# ---- every error at once -------------------------------------------------------


def test_every_error_is_listed(http, demo_server, demo_tenant):
    body = {"type": "fax", "limit": 0, "sortBy": {"name": "ASC"},
            "filters": {"priority": [1, 9]}}
    b = bad(http, demo_server, demo_tenant, body, None)
    assert sorted(fields_of(b)) == sorted(["type", "limit", "sortBy.name",
                                           "filters.priority[1]"])
    assert b["message"] == "Request validation failed"


def test_every_error_is_listed_with_more_fields(http, demo_server, demo_tenant):
    body = {"type": "sms", "limit": "x", "skip": -1, "page": 0, "startDate": "yesterday",
            "endDate": "2025-13-01", "sortBy": {"createdAt": "up", "size": "asc"},
            "filters": {"status": ["Ready", "ready", "Done"], "priority": ["5", 0],
                        "dialingMode": ["Preview", "preview"], "channel": []}}
    b = bad(http, demo_server, demo_tenant, body, None)
    assert sorted(fields_of(b)) == sorted([
        "limit", "skip", "page", "startDate", "endDate", "sortBy.createdAt", "sortBy.size",
        "filters.status[1]", "filters.status[2]", "filters.priority[1]",
        "filters.dialingMode[1]", "filters.channel"])


# ---- body framing --------------------------------------------------------------


@pytest.mark.parametrize("raw", [
    b"", b" ", b"[]", b'["type","sms"]', b'"sms"', b"1", b"null", b"true", b"{", b"{'type':'sms'}",
    b'{"type":"sms"', b'{"type":"sms"} x', b'{"type":"sms"}{}', b'{"type":"sms",}',
    b"type=sms", b'{"type":"s\xffms"}', b"\xef\xbb\xbf" + b"x",
], ids=repr)
def test_non_object_empty_or_invalid_json_is_400(http, demo_server, demo_tenant, raw):
    bad(http, demo_server, demo_tenant, None, None, raw=raw)


@pytest.mark.parametrize("raw", [
    b'{"type":"sms","type":"sms"}',
    b'{"type":"sms","limit":5,"limit":5}',
    b'{"type":"sms","filters":{"status":["Ready"],"status":["Ready"]}}',
    b'{"type":"sms","sortBy":{"name":"asc","name":"desc"}}',
    b'{"type":"sms","unknown":{"a":1,"a":2}}',
    b'{"type":"sms","unknown":[{"a":1,"a":1}]}',
], ids=lambda r: r.decode())
def test_duplicate_keys_at_any_level_are_400(http, demo_server, demo_tenant, raw):
    bad(http, demo_server, demo_tenant, None, None, raw=raw)


def nested(depth):
    """An object body whose nesting depth (the body object counting as 1) is depth."""
    inner = "[" * (depth - 1) + "]" * (depth - 1)
    return ('{"type":"sms","deep":' + inner + "}").encode()


def test_depth_over_32_is_400(http, demo_server, demo_tenant):
    bad(http, demo_server, demo_tenant, None, None, raw=nested(33))
    bad(http, demo_server, demo_tenant, None, None, raw=nested(200))


def test_depth_32_is_accepted(http, demo_server, demo_tenant):
    d = list_ok(http, demo_server, demo_tenant, None, raw=nested(32))["data"]
    assert d["totalResults"] == SMS_TOTAL


def test_brackets_inside_strings_do_not_count_as_depth(http, demo_server, demo_tenant):
    raw = json.dumps({"type": "sms", "s": "[{" * 40, "t": "\\\"[[[" * 20}).encode()
    d = list_ok(http, demo_server, demo_tenant, None, raw=raw)["data"]
    assert d["totalResults"] == SMS_TOTAL


def test_unknown_top_level_keys_are_ignored(http, demo_server, demo_tenant):
    body = {"type": "sms", "foo": 1, "bar": {"baz": [1, 2, {"q": None}]}, "Filters": "x",
            "sortby": 5, "LIMIT": -3}
    d = list_ok(http, demo_server, demo_tenant, body)["data"]
    assert d["totalResults"] == SMS_TOTAL and d["limit"] == 10


@pytest.mark.parametrize("body,field", [
    ({"sortBy": {"title": "asc"}}, "sortBy.title"),
    ({"sortBy": {"createdAt": "desc", "CreatedAt": "desc"}}, "sortBy.CreatedAt"),
    ({"sortBy": {"created_at": "desc"}}, "sortBy.created_at"),
    ({"filters": {"Status": ["Ready"]}}, "filters.Status"),
    ({"filters": {"priorities": [5]}}, "filters.priorities"),
    ({"filters": {"type": ["sms"]}}, "filters.type"),
    ({"filters": {"status": ["Ready"], "state": []}}, "filters.state"),
    ({"filters": {"Status": None}}, "filters.Status"),
    ({"sortBy": {"title": None}}, "sortBy.title"),
    ({"sortBy": {"createdAt": "asc", "CreatedAt": None}}, "sortBy.CreatedAt"),
], ids=_case_id)
def test_unknown_keys_in_sortby_or_filters_are_400(http, demo_server, demo_tenant, body, field):
    b = bad(http, demo_server, demo_tenant, dict(body, type="sms"), [field])
    assert fields_of(b) == [field]


@pytest.mark.parametrize("body,field", [
    ({"sortBy": "createdAt"}, "sortBy"),
    ({"sortBy": ["createdAt"]}, "sortBy"),
    ({"filters": ["Ready"]}, "filters"),
    ({"filters": "Ready"}, "filters"),
    ({"filters": {"status": "Ready"}}, "filters.status"),
    ({"filters": {"priority": 5}}, "filters.priority"),
    ({"filters": {"dialingMode": {"x": 1}}}, "filters.dialingMode"),
    ({"sortBy": {"name": 1}}, "sortBy.name"),
    ({"sortBy": {"name": ""}}, "sortBy.name"),
])
def test_wrongly_typed_containers_are_400(http, demo_server, demo_tenant, body, field):
    b = bad(http, demo_server, demo_tenant, dict(body, type="sms"), [field])
    assert fields_of(b) == [field]


@pytest.mark.parametrize("body,field", [
    ({"filters": {"status": ["ready"]}}, "filters.status[0]"),
    ({"filters": {"status": ["READY"]}}, "filters.status[0]"),
    ({"filters": {"status": ["Ready", " Stopped"]}}, "filters.status[1]"),
    ({"filters": {"status": [None]}}, "filters.status[0]"),
    ({"filters": {"dialingMode": ["progressive"]}}, "filters.dialingMode[0]"),
    ({"filters": {"dialingMode": ["Manual"]}}, "filters.dialingMode[0]"),
    ({"filters": {"dialingMode": [1]}}, "filters.dialingMode[0]"),
    ({"sortBy": {"createdAt": "ASC"}}, "sortBy.createdAt"),
    ({"sortBy": {"updatedAt": "Desc"}}, "sortBy.updatedAt"),
    ({"sortBy": {"name": "ascending"}}, "sortBy.name"),
])
def test_values_are_case_sensitive(http, demo_server, demo_tenant, body, field):
    b = bad(http, demo_server, demo_tenant, dict(body, type="sms"), [field])
    assert fields_of(b) == [field]


@pytest.mark.parametrize("value", [0, 6, -1, "6", "0", "", "five", 5.0, 4.5, True, None, [5],
                                   "5.0", " 5"], ids=repr)
def test_invalid_priority_filter_values(http, demo_server, demo_tenant, value):
    b = bad(http, demo_server, demo_tenant, {"type": "sms", "filters": {"priority": [5, value]}},
            ["filters.priority[1]"])
    assert fields_of(b) == ["filters.priority[1]"]


def test_priority_as_digit_string_is_accepted(http, demo_server, demo_tenant):
    a = list_ok(http, demo_server, demo_tenant, {"type": "sms", "filters": {"priority": ["5"]}})
    b = list_ok(http, demo_server, demo_tenant, {"type": "sms", "filters": {"priority": [5]}})
    c = list_ok(http, demo_server, demo_tenant, {"type": "sms", "filters": {"priority": ["4"]}})
    assert a == b
    assert a["data"]["totalResults"] == SMS_TOTAL
    assert c["data"]["totalResults"] == 0


@pytest.mark.parametrize("key,value", [("status", "Ready"), ("priority", 5),
                                       ("dialingMode", "Preview")])
def test_filter_arrays_over_64_values_are_400_naming_the_array(http, demo_server, demo_tenant,
                                                                key, value):
    b = bad(http, demo_server, demo_tenant,
            {"type": "voice", "filters": {key: [value] * 65}}, [f"filters.{key}"])
    assert fields_of(b) == [f"filters.{key}"]


@pytest.mark.parametrize("key,value", [("status", "Ready"), ("priority", 5),
                                       ("dialingMode", "Preview")])
def test_filter_arrays_of_64_values_are_accepted(http, demo_server, demo_tenant, key, value):
    d = list_ok(http, demo_server, demo_tenant,
                {"type": "voice", "filters": {key: [value] * 64}})["data"]
    assert d["totalResults"] >= 1


def test_empty_filter_arrays_mean_no_filter(http, demo_server, demo_tenant):
    for t, total in (("voice", VOICE_TOTAL), ("sms", SMS_TOTAL)):
        d = list_ok(http, demo_server, demo_tenant,
                    {"type": t, "filters": {"status": [], "priority": [], "dialingMode": []}})
        assert d["data"]["totalResults"] == total
        d = list_ok(http, demo_server, demo_tenant, {"type": t, "filters": {}})
        assert d["data"]["totalResults"] == total
        d = list_ok(http, demo_server, demo_tenant,
                    {"type": t, "filters": None, "sortBy": None, "startDate": None,
                     "endDate": None})
        assert d["data"]["totalResults"] == total


def test_null_filters_mean_absent(http, demo_server, demo_tenant):
    d = list_ok(http, demo_server, demo_tenant,
                {"type": "voice", "filters": {"status": None, "priority": None,
                                              "dialingMode": None}})["data"]
    assert d["totalResults"] == VOICE_TOTAL


def test_null_sort_key_means_absent(http, demo_server, demo_tenant):
    # §3: "null for an optional field means the field is absent"
    plain = list_ok(http, demo_server, demo_tenant, {"type": "sms", "limit": 100})
    d = list_ok(http, demo_server, demo_tenant,
                {"type": "sms", "limit": 100, "sortBy": {"name": None}})
    assert d == plain
    asc = list_ok(http, demo_server, demo_tenant,
                  {"type": "sms", "limit": 100, "sortBy": {"createdAt": "asc"}})
    d = list_ok(http, demo_server, demo_tenant,
                {"type": "sms", "limit": 100, "sortBy": {"name": None, "createdAt": "asc"}})
    assert d == asc


def test_dialing_mode_is_validated_but_not_applied_for_sms(http, demo_server, demo_tenant):
    d = list_ok(http, demo_server, demo_tenant,
                {"type": "sms", "filters": {"dialingMode": ["Agentless"]}})["data"]
    assert d["totalResults"] == SMS_TOTAL
    bad(http, demo_server, demo_tenant, {"type": "sms", "filters": {"dialingMode": ["Bogus"]}},
        ["filters.dialingMode[0]"])
    # for voice it applies: no demo voice campaign is Agentless
    d = list_ok(http, demo_server, demo_tenant,
                {"type": "voice", "filters": {"dialingMode": ["Agentless"]}})["data"]
    assert d["totalResults"] == 0


# ---- dates -----------------------------------------------------------------------


def test_start_after_end_is_400_on_end_date(http, demo_server, demo_tenant):
    b = bad(http, demo_server, demo_tenant,
            {"type": "sms", "startDate": "2025-12-05T00:00:00.001Z",
             "endDate": "2025-12-05T00:00:00.000Z"}, ["endDate"])
    assert fields_of(b) == ["endDate"]
    # compared as instants: 01:00+02:00 is 23:00Z the day before
    b = bad(http, demo_server, demo_tenant,
            {"type": "sms", "startDate": "2025-12-05T00:30:00Z",
             "endDate": "2025-12-05T01:00:00+02:00"}, ["endDate"])
    assert fields_of(b) == ["endDate"]


def test_start_equal_to_end_is_accepted(http, demo_server, demo_tenant):
    d = list_ok(http, demo_server, demo_tenant,
                {"type": "sms", "startDate": "2025-12-05T09:31:52.281Z",
                 "endDate": "2025-12-05T09:31:52.281Z"})["data"]
    assert [r["name"] for r in d["results"]] == ["Event Reminder SMS Campaign8"]


@pytest.mark.parametrize("start,end,total", [
    ("2025-12-01", "2025-12-08", SMS_TOTAL),                       # bare dates
    ("2025-12-05", "", 4),                                         # "" = absent
    ("", "2025-12-05", 3),
    ("2025-12-05T00:00:00Z", None, 4),                              # no fraction
    ("2025-12-05T05:30:00+05:30", None, 4),                         # offset
    ("2025-12-04T19:00:00-05:00", None, 4),                         # negative offset
    ("2025-12-05T09:31:52.281Z", None, 1),                          # inclusive start
    ("2025-12-05T15:01:52.281+05:30", None, 1),
    ("2025-12-05T09:31:52.282Z", None, 0),
    (None, "2025-12-04T09:43:32.410Z", 1),                          # inclusive end
    (None, "2025-12-04T09:43:32.409Z", 0),
    (None, "2025-12-04T04:43:32.410-05:00", 1),
    ("2025-12-05T09:31:52.281z", None, 1),
    ("2025-12-05T09:31:52.2Z", None, 1),                            # .200
    ("2025-12-05T09:31:52.29Z", None, 0),                           # .290
])
def test_date_forms(http, demo_server, demo_tenant, start, end, total):
    body = {"type": "sms"}
    if start is not None:
        body["startDate"] = start
    if end is not None:
        body["endDate"] = end
    d = list_ok(http, demo_server, demo_tenant, body)["data"]
    assert d["totalResults"] == total


@pytest.mark.parametrize("value", [
    "yesterday", "2025-13-01", "2025-02-30", "2025-12-01T24:00:00Z", "2025-12-01T10:60:00Z",
    "12/01/2025", "2025-12-01 00:00:00Z", "2025-12-01T00:00:00.Z", "2025-12-01T00:00Z",
    "2025-12-01T00:00:00+0530", "2025-12-01T00:00:00+05", "20251201", 1733011200, True,
    ["2025-12-01"], "2025-12-01T00:00:00.000Zjunk", " 2025-12-01",
], ids=repr)
def test_invalid_dates_are_400(http, demo_server, demo_tenant, value):
    for key in ("startDate", "endDate"):
        b = bad(http, demo_server, demo_tenant, {"type": "sms", key: value}, [key])
        assert fields_of(b) == [key]


def test_digit_strings_with_many_leading_zeros_are_numbers(http, demo_server, demo_tenant):
    # "a string of decimal digits" (§3): the value counts, not the length
    d = list_ok(http, demo_server, demo_tenant,
                {"type": "sms", "limit": "0000000000005", "skip": "0000000000000",
                 "page": "00000000000001"})["data"]
    assert d["limit"] == 5 and d["skip"] == 0 and len(d["results"]) == 5


def test_max_depth_flag(http, server_factory, demo_server, demo_tenant):
    srv = server_factory("--max-depth", "4", db=demo_server.db)
    d = list_ok(http, srv, demo_tenant, None, raw=nested(4))["data"]
    assert d["totalResults"] == SMS_TOTAL
    bad(http, srv, demo_tenant, None, None, raw=nested(5))
    # the documented sample body has depth 3
    list_ok(http, srv, demo_tenant, {"type": "sms", "filters": {"status": ["Ready"]}})
