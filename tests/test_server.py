"""The HTTP API, tested through HTTP against ``sitrep serve`` running on loopback."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from recordkit import aid, event
from serverkit import running_server
from sitrep.model import Document, Record
from sitrep.store import SQLiteStore

TOKEN = "s3cret-token"
PROBLEM = "application/problem+json"


def doc(doc_id: str, date: str | None = "2023-02-13", text: str = "Shelling hit Bakhmut on Monday.") -> Document:
    return Document(text=text, doc_id=doc_id, date=date, lang="en", title=f"title {doc_id}", source="Reuters")


def fill(path: Path) -> dict[str, list[Record]]:
    """Twelve records over five documents: dates, places, types and actors to filter on."""
    docs: dict[str, list[Record]] = {
        "d1": [
            event("d1", "Bakhmut", date="2023-02-13", fatalities=3, injured=11, notes="artillery hit the market",
                  claimant="Pavlo Kyrylenko"),
            event("d1", "Soledar", date="2023-02-13", start=40, event_type="Battles", sub_event_type="Armed clash",
                  actor2="Military Forces of Ukraine (2019-)"),
        ],
        "d2": [
            event("d2", "Kharkiv", date="2023-03", fatalities=1),
            event("d2", "Kyiv", date="2023-03-02", start=20, event_type="Strategic developments",
                  sub_event_type="Disrupted weapons use", actor1="Military Forces of Ukraine (2019-)"),
            event("d2", None, date="2023-03-03", start=50),
            aid("d2", date="2023-03-04"),
        ],
        "d3": [event("d3", "Kramatorsk", date=None, notes="drone strike on the station")],
        "d4": [event("d4", "Bakhmut", date=f"2022-12-{day:02d}", start=day) for day in range(1, 6)],
    }
    with SQLiteStore(path) as store:
        for doc_id, records in docs.items():
            store.add(doc(doc_id, date="2023-02" if doc_id != "d4" else "2022-12"), records)
    return docs


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "store.db"
    fill(path)
    return path


@pytest.fixture(scope="module")
def base(db: Path, gaz_path: Path) -> Iterator[str]:
    with running_server(db, token=TOKEN, cache=gaz_path.parent) as url:
        yield url


@pytest.fixture(scope="module")
def http(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as client:
        yield client


def all_items(http: httpx.Client, **params: object) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cursor = None
    for _ in range(100):
        r = http.get("/api/events", params={**params, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        cursor = body["next"]
        if cursor is None:
            return items
    raise AssertionError("the cursor never ended")


def ids(items: list[dict[str, object]]) -> list[object]:
    return [i["event_id"] for i in items]


def test_health_and_stats(http: httpx.Client) -> None:
    assert http.get("/healthz").json() == {"status": "ok", "records": 12, "schema_version": 4}
    stats = http.get("/api/stats").json()
    assert stats["events"] == 11 and stats["aid"] == 1 and stats["documents"] == 4
    assert stats["by_type"]["Battles"] == 1
    assert stats["by_month"]["2022-12"] == 5
    assert stats["by_admin1"]["Donetsk"] == 8
    assert "path" not in stats


def test_pages_follow_a_stable_order_to_the_end(http: httpx.Client) -> None:
    items = all_items(http, limit=3)
    assert len(items) == 12 and len(set(ids(items))) == 12
    keys = [(i["event_date"] or "~", i["event_id"]) for i in items]
    assert keys == sorted(keys)  # by date, undated last, then id
    assert items[-1]["event_date"] is None
    assert ids(items) == ids(http.get("/api/events", params={"limit": 1000}).json()["items"])
    first = http.get("/api/events").json()
    assert len(first["items"]) == 12 and first["next"] is None and first["as_of"].endswith("+00:00")


def test_a_page_cursor_is_not_shifted_by_documents_stored_meanwhile(http: httpx.Client, db: Path) -> None:
    page = http.get("/api/events", params={"limit": 4}).json()
    seen = ids(page["items"])
    last_date = page["items"][-1]["event_date"]
    with SQLiteStore(db) as store:  # another writer adds one record before the cursor and one after it
        store.add(doc("late"), [event("late", "Kharkiv", date="2021-01-01"), event("late", "Kyiv", date="2024-05-01")])
    try:
        rest: list[dict[str, object]] = []
        cursor = page["next"]
        while cursor:
            body = http.get("/api/events", params={"limit": 4, "cursor": cursor}).json()
            rest += body["items"]
            cursor = body["next"]
        dates = [i["event_date"] for i in rest]
        assert not set(ids(rest)) & set(seen)  # nothing twice
        assert "2024-05-01" in dates and "2021-01-01" not in dates  # only what sorts after the cursor
        assert all((d or "~") >= last_date for d in dates)
        assert len(seen) + len(rest) == 13
    finally:
        with SQLiteStore(db) as store:
            store._conn.execute("DELETE FROM documents WHERE doc_id = 'late'")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "Battles"}, 1),
        ({"type": "Battles,Disrupted weapons use"}, 2),
        ({"type": ["battles", "disrupted weapons use"]}, 2),
        ({"since": "2023-01-01"}, 6),  # d1 2, d2 4 (2023-03 overlaps), undated left out
        ({"since": "2023-02", "until": "2023-02-28"}, 2),
        ({"until": "2022-12-03"}, 3),
        ({"actor": "ukraine"}, 3),  # the aid record's recipient too
        ({"text": "market"}, 1),  # the notes
        ({"text": "Monday"}, 12),  # the report texts
        ({"near": "48.5947,38.0003", "within": 15}, 7),  # Bakhmut and Soledar (~10 km)
        ({"near": "48.5947,38.0003", "within": 5}, 6),
        ({"bbox": "37.5,48.5,38.1,48.8"}, 8),  # Bakhmut, Soledar, Kramatorsk
        ({"kind": "aid"}, 1),
        ({"kind": "event", "type": "Shelling/artillery/missile attack"}, 9),
        ({"updated_since": "2000-01-01T00:00:00Z"}, 12),
        ({"updated_since": "2999-01-01T00:00:00+02:00"}, 0),
        ({"actor": "", "text": "", "since": ""}, 12),  # empty fields are no filter, as a form sends them
    ],
)
def test_filters(http: httpx.Client, params: dict[str, object], expected: int) -> None:
    assert len(all_items(http, **params, limit=2)) == expected


def test_near_takes_a_place_name(http: httpx.Client) -> None:
    items = all_items(http, near="Bakhmut", within=3)
    assert {i["location"]["name"] for i in items} == {"Bakhmut"}  # type: ignore[index]


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/events?limit=0", "limit"),
        ("/api/events?limit=1001", "limit"),
        ("/api/events?limit=ten", "limit"),
        ("/api/events?since=2023-13", "since"),
        ("/api/events?until=yesterday", "until"),
        ("/api/events?bbox=1,2,3", "bbox"),
        ("/api/events?bbox=10,0,5,1", "bbox"),
        ("/api/events?bbox=nan,0,5,1", "bbox"),
        ("/api/events?near=200,5", "near"),
        ("/api/events?near=Nowhereville-on-Sea", "near"),
        ("/api/events?within=5", "within"),
        ("/api/events?near=50,30&within=-1", "within"),
        ("/api/events?kind=pledge", "kind"),
        ("/api/events?text=%21%3F", "text"),
        ("/api/events?cursor=garbage", "cursor"),
        ("/api/events?cursor=WzEsMl0", "cursor"),  # valid base64 JSON, not a key
        ("/api/events?updated_since=last+week", "updated_since"),
        ("/api/events.csv?since=0000-99", "since"),
        ("/api/events.geojson?bbox=a,b,c,d", "bbox"),
        ("/api/cells?zoom=99", "zoom"),
    ],
)
def test_bad_parameters_are_400_problems_naming_the_parameter(http: httpx.Client, path: str, param: str) -> None:
    r = http.get(path)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["status"] == 400 and body["title"] == "Bad request" and body["instance"] == path.split("?")[0]
    assert param in [p["name"] for p in body["invalid_params"]], body
    assert "Traceback" not in r.text


def test_unknown_things_are_404_problems(http: httpx.Client) -> None:
    for path in ("/api/events/nope", "/api/documents/nope", "/api/nothing"):
        r = http.get(path)
        assert r.status_code == 404 and r.headers["content-type"] == PROBLEM, path
        assert r.json()["detail"]
    r = http.delete("/api/events")
    assert r.status_code == 405 and r.headers["content-type"] == PROBLEM


def test_one_event_with_claims_evidence_and_its_document(http: httpx.Client) -> None:
    first = all_items(http, text="market")[0]
    r = http.get(f"/api/events/{first['event_id']}")
    assert r.status_code == 200
    body = r.json()
    assert body["fatalities"] == 3 and body["injured"] == 11
    assert body["claims"][0]["claimant"] == "Pavlo Kyrylenko" and body["claims"][0]["relay"] == "Reuters"
    assert body["evidence"][0]["trigger"] == "shelling"
    assert body["document"] == {"doc_id": "d1", "date": "2023-02", "title": "title d1", "url": None, "source": "Reuters"}


def test_one_document_with_its_text_and_records(http: httpx.Client) -> None:
    body = http.get("/api/documents/d2").json()
    assert body["text"] == "Shelling hit Bakhmut on Monday."
    assert sorted(r["kind"] for r in body["records"]) == ["aid", "event", "event", "event"]


def test_geojson_is_streamed_with_the_filters(http: httpx.Client) -> None:
    with http.stream("GET", "/api/events.geojson", params={"since": "2023-01-01"}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/geo+json"
        assert r.headers.get("transfer-encoding") == "chunked"
        body = json.loads(r.read())
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 4  # six records, one without a place and one aid left out
    lon, lat = body["features"][0]["geometry"]["coordinates"]
    assert 22 < lon < 41 and 44 < lat < 53


def test_csv_is_streamed_with_acled_columns(http: httpx.Client) -> None:
    with http.stream("GET", "/api/events.csv", params={"type": "Battles"}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.read().decode())))
    assert len(rows) == 1
    assert rows[0]["event_type"] == "Battles" and rows[0]["location"] == "Soledar"
    assert rows[0]["event_id_cnty"] and rows[0]["admin1"] == "Donetsk"


def test_cells_count_every_located_event(http: httpx.Client) -> None:
    wide = http.get("/api/cells", params={"zoom": 3, "kind": "event"}).json()
    assert sum(f["properties"]["count"] for f in wide["features"]) == 10  # 11 events, one without a place
    assert len(wide["features"]) < 10
    close = http.get("/api/cells", params={"zoom": 14}).json()
    singles = [f for f in close["features"] if f["properties"]["count"] == 1]
    assert singles and all(f["properties"]["event_id"] for f in singles)
    bakhmut = max(close["features"], key=lambda f: f["properties"]["count"])
    assert bakhmut["properties"]["count"] == 6 and bakhmut["properties"]["bbox"][0] == bakhmut["properties"]["bbox"][2]
    assert http.get("/api/cells", params={"zoom": 5, "kind": "aid"}).json()["features"] == []


def test_reference_layers(http: httpx.Client) -> None:
    lines = http.get("/api/layers/lines.geojson").json()
    assert {f["properties"]["name"] for f in lines["features"]} == {"donbas-2015", "front-2023", "border"}
    oblasts = http.get("/api/layers/oblasts.geojson").json()
    names = {f["properties"]["name"] for f in oblasts["features"]}
    assert {"Donetsk", "Kharkiv", "Lviv", "Crimea"} <= names and len(names) >= 24


def test_openapi_and_offline_docs(http: httpx.Client) -> None:
    spec = http.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/events", "/api/events/{event_id}", "/api/documents/{doc_id}", "/api/events.geojson",
                 "/api/events.csv", "/api/stats", "/healthz", "/api/documents", "/api/incidents",
                 "/api/incidents/{incident_id}"):
        assert path in spec["paths"], path
    assert "422" not in json.dumps(spec["paths"])
    page = http.get("/docs").text
    assert "/static/docs/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    for asset in ("/static/docs/swagger-ui-bundle.js", "/static/docs/swagger-ui.css"):
        assert http.get(asset).status_code == 200, asset


def test_the_map_page_and_its_assets_are_served(http: httpx.Client) -> None:
    page = http.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    for asset in ("/static/app.js", "/static/app.css", "/static/countries-50m.json"):
        assert http.get(asset).status_code == 200, asset
    assert "http" not in page.text.replace("https://", "").split("<body>")[0]  # nothing from elsewhere


# -- writing ----------------------------------------------------------------------------


REPORT = {
    "id": "post-1",
    "date": "2023-03-06",
    "lang": "en",
    "text": "Russian shelling killed two people in Kherson on Monday, the regional governor said on Telegram.",
}


def count(http: httpx.Client) -> int:
    return int(http.get("/healthz").json()["records"])


def test_writing_without_a_configured_token_is_forbidden(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    fill(path)
    with running_server(path) as url, httpx.Client(base_url=url, timeout=30) as http:
        before = count(http)
        r = http.post("/api/documents", json=REPORT, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 403 and r.headers["content-type"] == PROBLEM
        assert "SITREP_API_TOKEN" in r.json()["detail"]
        assert count(http) == before


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", "Bearer"])
def test_a_missing_or_wrong_token_is_401_and_changes_nothing(http: httpx.Client, header: str | None) -> None:
    before = count(http)
    r = http.post("/api/documents", json=REPORT, headers={"Authorization": header} if header else {})
    assert r.status_code == 401 and r.headers["content-type"] == PROBLEM
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert count(http) == before
    assert http.get("/api/documents/post-1").status_code == 404


def test_a_body_over_the_limit_is_413(tmp_path: Path) -> None:
    path = tmp_path / "small.db"
    fill(path)
    with running_server(path, token=TOKEN, max_body=500) as url, httpx.Client(base_url=url, timeout=30) as http:
        big = [dict(REPORT, id=f"big-{i}") for i in range(10)]
        auth = {"Authorization": f"Bearer {TOKEN}"}
        r = http.post("/api/documents", json=big, headers=auth)
        assert r.status_code == 413 and r.headers["content-type"] == PROBLEM
        # no Content-Length: the limit holds while the body streams in
        chunks = (json.dumps(big)[i : i + 100].encode() for i in range(0, len(json.dumps(big)), 100))
        r = http.post("/api/documents", content=chunks, headers={**auth, "Content-Type": "application/json"})
        assert r.status_code == 413
        assert count(http) == 12


def test_bad_bodies_are_400_with_each_items_error(http: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = http.post("/api/documents", content=b"{not json", headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["invalid_params"][0]["name"] == "body"
    r = http.post("/api/documents", content=b"text=1", headers={**auth, "Content-Type": "text/plain"})
    assert r.status_code == 415
    r = http.post("/api/documents", json=[{"text": ""}, {"id": 5}], headers=auth)
    assert r.status_code == 400
    errors = [i["error"] for i in r.json()["items"]]
    assert "item 0" in errors[0] and "empty" in errors[0] and 'without "text"' in errors[1]
    assert http.post("/api/documents", json=[], headers=auth).status_code == 400
    r = http.post("/api/documents", json={"text": "Shelling hit Bakhmut.", "id": True}, headers=auth)
    assert r.status_code == 400 and '"id" must be a string or a number, got bool' in r.json()["detail"]


@pytest.mark.slow
def test_posted_reports_are_extracted_and_appear_in_events(http: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = count(http)
    cells = {"zoom": 4, "type": "Shelling/artillery/missile attack"}
    located = sum(f["properties"]["count"] for f in http.get("/api/cells", params=cells).json()["features"])
    r = http.post("/api/documents", json=[REPORT, {"text": "   "}, {"date": "2023"}], headers=auth)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stored"] == 1 and body["failed"] == 2
    made = body["items"][0]
    assert made["outcome"] == "added" and made["doc_id"] == "post-1"
    kherson = [rec for rec in made["records"] if rec["location"] and rec["location"]["name"] == "Kherson"]
    assert kherson and kherson[0]["fatalities"] == 2
    assert body["items"][1]["error"] and body["items"][2]["error"]
    after = sum(f["properties"]["count"] for f in http.get("/api/cells", params=cells).json()["features"])
    assert after == located + 1  # the map's cells are not answered from before the write
    listed = all_items(http, text="Kherson")
    assert kherson[0]["event_id"] in ids(listed)
    assert count(http) == before + len(made["records"])
    again = http.post("/api/documents", json=REPORT, headers=auth).json()
    assert again["items"][0]["outcome"] == "unchanged" and count(http) == before + len(made["records"])
    assert http.get("/api/documents/post-1").json()["records"] == made["records"]
    incident = made["records"][0]["incident_id"]  # linked at ingest, as `sitrep ingest` links
    assert incident and made["records"][0]["event_id"] in http.get(f"/api/incidents/{incident}").json()["event_ids"]


def test_incidents_paged_filtered_and_one_by_id(http: httpx.Client) -> None:
    events = all_items(http, kind="event")
    items: list[dict[str, object]] = []
    cursor = None
    while True:
        body = http.get("/api/incidents", params={"limit": 4, **({"cursor": cursor} if cursor else {})}).json()
        items += body["items"]
        cursor = body["next"]
        if not cursor:
            break
    got = sorted(e for i in items for e in i["event_ids"])  # type: ignore[attr-defined]
    assert got == sorted(e["event_id"] for e in events)  # type: ignore[type-var]  # every event in one incident
    assert len({i["incident_id"] for i in items}) == len(items)
    battles = http.get("/api/incidents", params={"type": "Battles"}).json()["items"]
    assert len(battles) == 1 and battles[0]["event_type"] == "Battles"
    one = http.get(f"/api/incidents/{battles[0]['incident_id']}")
    assert one.status_code == 200 and one.json()["event_ids"] == battles[0]["event_ids"]
    assert one.json()["sources"] and one.json()["location"]["name"] == "Soledar"
    missing = http.get("/api/incidents/nope")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    assert http.get("/api/incidents", params={"kind": "aid"}).json()["items"] == []
    assert http.get("/api/incidents", params={"limit": 0}).status_code == 400
