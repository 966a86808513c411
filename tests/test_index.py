"""The search index: Pagefind's bundle, made reproducible by index.stabilise."""

import gzip

from annuaire360.publish import cbor
from annuaire360.publish.stabilise import _read_pf, stabilise


def test_cbor_round_trips_what_pagefind_writes(fixture_site):
    for path in [*(fixture_site / "pagefind").glob("*.pf_meta"), *(fixture_site / "pagefind" / "filter").glob("*")]:
        body = gzip.decompress(path.read_bytes())[len(b"pagefind_dcd") :]
        assert cbor.dumps(cbor.loads(body)) == body, path.name


def test_filter_values_are_sorted_and_files_named_after_their_content(fixture_site):
    filters = sorted((fixture_site / "pagefind" / "filter").glob("*.pf_filter"))
    assert {_read_pf(p)[0] for p in filters} == {"departement", "region", "type", "public", "situation", "besoin", "lecture"}
    for path in filters:
        name, values = _read_pf(path)
        assert [v[0] for v in values] == sorted(v[0] for v in values), name


def test_stabilise_gives_the_same_bundle_whatever_the_order_pagefind_chose(tmp_path, fixture_site):
    import shutil

    bundle = tmp_path / "pagefind"
    shutil.copytree(fixture_site / "pagefind", bundle)
    # Shuffle one filter's values the way another Pagefind run might, keeping the bundle consistent.
    path = next((bundle / "filter").glob("*.pf_filter"))
    name, values = _read_pf(path)
    path.write_bytes(gzip.compress(b"pagefind_dcd" + cbor.dumps([name, list(reversed(values))]), mtime=0))
    stabilise(bundle)
    files = lambda root: {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}  # noqa: E731
    assert files(bundle) == files(fixture_site / "pagefind")


def test_an_unexpected_bundle_is_left_as_pagefind_wrote_it(tmp_path):
    bundle = tmp_path / "pagefind"
    bundle.mkdir()
    (bundle / "pagefind-entry.json").write_text('{"languages": {"fr": {"hash": "fr_0000000000"}}}')
    stabilise(bundle)
    assert [p.name for p in bundle.iterdir()] == ["pagefind-entry.json"]
