"""An integrator's sync, written against a client generated from danvan's /openapi.json.

Run by the Rust test `generated_client::a_generated_python_client_syncs` with the generated
package (`danvan_client`) on PYTHONPATH:

    python client_sync.py BASE_URL TOKEN

It mirrors the store as an integrator would — every list paged by cursor, the change feed
followed from the start with its typed items — checks the mirror against the lists and the
export, then writes as a careful client does (If-Match, a Vietnamese change reason sent
RFC 8187-encoded, as Python's HTTP clients send only ASCII headers), deletes a record and
follows the feed to its tombstone. Every answer is parsed into the generated models; a field
the document does not describe, or describes wrongly, fails the run. Prints one line per step;
any failure is an AssertionError or a parse error with its traceback.
"""

import sys
import urllib.parse
from http import HTTPStatus

from danvan_client import AuthenticatedClient
from danvan_client.api.changes import changes
from danvan_client.api.conferences import list_conferences
from danvan_client.api.directives import (
    create_directive,
    delete_directive,
    due,
    get_directive,
    history_directive,
    list_directives,
    patch_directive,
)
from danvan_client.api.indicators import indicator_catalogue, list_indicators
from danvan_client.api.models import delete_model, get_model, list_models
from danvan_client.api.observations import list_observations
from danvan_client.api.operations import healthz
from danvan_client.api.provinces import provinces
from danvan_client.api.search import search
from danvan_client.api.transfer import export
from danvan_client.api.units import list_units
from danvan_client.api.awards import list_awards
from danvan_client.api.forms import list_forms
from danvan_client.api.submissions import list_submissions
from danvan_client.api.targets import list_targets
from danvan_client.models import (
    AwardChange,
    FormChange,
    SubmissionChange,
    TargetChange,
    ChangeAction,
    ChangesPage,
    ConferenceChange,
    Directive,
    DirectiveChange,
    DirectiveItem,
    DirectivePage,
    ExportDocument,
    IndicatorChange,
    ModelChange,
    ObservationChange,
    PatchDirectiveBody,
    Problem,
    RecordPage,
    UnitChange,
    WriteResult,
)
from danvan_client.types import UNSET

REASON = "Sửa theo Báo cáo số 45-BC/BDVTU ngày 12/6/2024 của Ban Dân vận Tỉnh ủy"

LISTS = {
    "directive": list_directives,
    "conference": list_conferences,
    "model": list_models,
    "indicator": list_indicators,
    "observation": list_observations,
    "unit": list_units,
    "award": list_awards,
    "form": list_forms,
    "submission": list_submissions,
    "target": list_targets,
}

CHANGE_TYPES = {
    "directive": DirectiveChange,
    "conference": ConferenceChange,
    "model": ModelChange,
    "indicator": IndicatorChange,
    "observation": ObservationChange,
    "unit": UnitChange,
    "award": AwardChange,
    "form": FormChange,
    "submission": SubmissionChange,
    "target": TargetChange,
}


def rfc8187(text):
    """A header value as RFC 8187 writes non-ASCII text: UTF-8''percent-encoded."""
    return "UTF-8''" + urllib.parse.quote(text, safe="")


def cursor_of(link):
    """The cursor of a page's `next` link."""
    query = urllib.parse.urlparse(link).query
    return urllib.parse.parse_qs(query)["cursor"][0]


def ok(response, status=HTTPStatus.OK):
    assert response.status_code == status, (
        f"{response.status_code}: {response.content[:600]!r}"
    )
    return response.parsed


def page_all(client, kind, limit):
    """Every record of `kind`, by following `next`: {id: record as JSON}."""
    records, cursor, pages = {}, UNSET, 0
    while True:
        page = ok(LISTS[kind].sync_detailed(client=client, limit=limit, cursor=cursor))
        pages += 1
        for item in page.items:
            assert item.kind.value == kind, item.kind
            assert item.record.id not in records, f"{kind} {item.record.id} on two pages"
            records[item.record.id] = item.record.to_dict()
        if page.next_ is None:
            assert len(records) == page.total, (kind, len(records), page.total)
            return records, pages
        cursor = cursor_of(page.next_)


def follow(client, mirror, since, limit):
    """Follows the feed from `since` into `mirror` ({(kind, id): record JSON}); returns the
    revision to ask from next time and the changes read."""
    read = []
    while True:
        page = ok(changes.sync_detailed(client=client, since=since, limit=limit))
        assert isinstance(page, ChangesPage)
        for change in page.items:
            kind = change.kind.value
            assert isinstance(change, CHANGE_TYPES[kind]), (kind, type(change))
            key = (kind, change.id)
            if change.action == ChangeAction.DELETED:
                assert change.record is UNSET, f"a tombstone with a record: {key}"
                assert key in mirror, f"deleted {key}, which the feed never created"
                del mirror[key]
            else:
                assert change.record.id == change.id
                if change.action == ChangeAction.CREATED:
                    assert key not in mirror, f"created {key} twice"
                mirror[key] = change.record.to_dict()
            read.append(change)
        if page.next_ is None:
            return str(page.revision), read
        since = cursor_of_since(page.next_)


def cursor_of_since(link):
    query = urllib.parse.urlparse(link).query
    return urllib.parse.parse_qs(query)["since"][0]


def lists_of(client, limit):
    everything = {}
    for kind in LISTS:
        records, pages = page_all(client, kind, limit)
        for record_id, record in records.items():
            everything[(kind, record_id)] = record
        print(f"  {kind}: {len(records)} records in {pages} pages of {limit}")
    return everything


def same(mirror, lists, what):
    missing = sorted(set(lists) - set(mirror))
    extra = sorted(set(mirror) - set(lists))
    assert not missing and not extra, f"{what}: missing {missing[:5]}, extra {extra[:5]}"
    for key, record in lists.items():
        assert mirror[key] == record, f"{what}: {key} differs:\n{mirror[key]}\n{record}"


def main(base_url, token):
    client = AuthenticatedClient(base_url=base_url, token=token, raise_on_unexpected_status=True)

    assert ok(healthz.sync_detailed(client=client)).status == "ok"
    print("health: ok")

    lists = lists_of(client, limit=7)
    mirror = {}
    since, read = follow(client, mirror, "0", limit=13)
    same(mirror, lists, "the feed against the lists")
    print(f"feed: {len(read)} changes up to revision {since}; the mirror equals the lists")

    document = ok(export.sync_detailed(client=client))
    assert isinstance(document, ExportDocument)
    exported = {}
    for kind, records in [
        ("directive", document.directives),
        ("conference", document.conferences),
        ("model", document.models),
        ("indicator", document.indicators),
        ("observation", document.observations),
        ("unit", document.units),
        # A store without commendations leaves the list out of its export.
        ("award", [] if document.awards is UNSET else document.awards),
        ("form", [] if document.forms is UNSET else document.forms),
        ("submission", [] if document.submissions is UNSET else document.submissions),
        ("target", [] if document.targets is UNSET else document.targets),
    ]:
        for record in records:
            exported[(kind, record.id)] = record.to_dict()
    same(exported, lists, "the export against the lists")
    # The models describe every field as sent: each record of the export, as the server wrote
    # it, comes back the same from the generated model (a field the document lacks would be
    # dropped, one it types wrongly would fail or change).
    raw = client.get_httpx_client().get("/v1/export").json()
    described = 0
    for kind in LISTS:
        for record in raw.get(kind + "s", []):
            assert exported[(kind, record["id"])] == record, (
                f"the {kind} model does not describe {record['id']} as sent:\n"
                f"{exported[(kind, record['id'])]}\n{record}"
            )
            described += 1
    assert described == len(exported), (described, len(exported))
    revisions = document.revisions.to_dict()
    print(f"export: {len(exported)} records, revision {document.revision}")

    hits = ok(search.sync_detailed(client=client, q="dan van", limit=50))
    assert isinstance(hits, RecordPage) and hits.total > 0
    for hit in hits.items:
        assert (hit.kind.value, hit.record.id) in lists, hit
        assert hit.matched is not UNSET and hit.matched.score > 0
    print(f"search: {hits.total} matches, each typed by its kind")

    projected = ok(list_directives.sync_detailed(client=client, fields="id,title", limit=3))
    assert isinstance(projected, DirectivePage)
    for item in projected.items:
        assert isinstance(item, DirectiveItem)
        assert set(item.record.to_dict()) <= {"id", "title"}, item.record.to_dict()
    print("fields=id,title: a page of projections")

    assert len(ok(provinces.sync_detailed(client=client)).items) > 0
    assert len(ok(indicator_catalogue.sync_detailed(client=client)).items) > 0
    ok(due.sync_detailed(client=client, within="2y"))
    print("provinces, catalogue, due reviews: read")

    # A careful write: read with its ETag, change with If-Match and a reason.
    directive_id = sorted(k for (kind, k) in lists if kind == "directive")[0]
    got = get_directive.sync_detailed(id=directive_id, client=client)
    directive = ok(got)
    assert isinstance(directive, Directive)
    etag = got.headers["etag"]
    assert etag == f'"{revisions["directives"][directive_id]}"', (etag, revisions)
    patch = PatchDirectiveBody.from_dict({"title": directive.title + " (đã sửa)"})
    written = ok(
        patch_directive.sync_detailed(
            id=directive_id, client=client, body=patch, if_match=etag,
            x_change_reason=rfc8187(REASON),
        )
    )
    assert isinstance(written, WriteResult)
    stale = patch_directive.sync_detailed(
        id=directive_id, client=client, body=patch, if_match=etag,
    )
    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED, stale.status_code
    assert isinstance(stale.parsed, Problem)
    assert stale.parsed.current_revision == written.revision, stale.parsed
    taken = create_directive.sync_detailed(client=client, body=directive)
    assert taken.status_code == HTTPStatus.CONFLICT, taken.status_code
    assert taken.parsed.type_.endswith("already-exists"), taken.parsed.type_
    history = ok(history_directive.sync_detailed(id=directive_id, client=client))
    assert history.items[-1].to_dict().get("reason") == REASON, history.items[-1].to_dict()
    print(f"write: {directive_id} patched at revision {written.revision} with its reason; "
          "a stale If-Match is 412, a taken ID already-exists")

    # A delete, followed to its tombstone.
    model_id = sorted(k for (kind, k) in lists if kind == "model")[0]
    got = get_model.sync_detailed(id=model_id, client=client)
    ok(got)
    deleted = ok(
        delete_model.sync_detailed(
            id=model_id, client=client, if_match=got.headers["etag"], cascade=True,
            x_change_reason=rfc8187("Mô hình trùng, đã gộp"),
        )
    )
    assert isinstance(deleted, WriteResult)
    since, read = follow(client, mirror, since, limit=1)
    actions = [(c.kind.value, c.id, c.action.value) for c in read]
    assert ("directive", directive_id, "updated") in actions, actions
    assert ("model", model_id, "deleted") in actions, actions
    tombstone = next(c for c in read if c.action == ChangeAction.DELETED)
    assert isinstance(tombstone, ModelChange) and tombstone.reason == "Mô hình trùng, đã gộp"
    same(mirror, lists_of(client, limit=50), "the mirror after the writes")
    print(f"feed: {len(read)} more changes, the tombstone typed; the mirror still equals the lists")

    gone = delete_directive.sync_detailed(id="no-such-directive", client=client)
    assert gone.status_code == HTTPStatus.NOT_FOUND and isinstance(gone.parsed, Problem)
    print("sync: done")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
