"""Default datasets and layers of network files, which mappings key by local id, and shape detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.exceptions import FileRejected
from loaders.choose import choose_mapping
from loaders.datasets import Overlap, default_layer, file_dataset, folder_dataset, local_keys, uses_layer
from loaders.mapping import get_mapping
from loaders.matrix import check_square
from loaders.readers import open_export


@pytest.mark.parametrize(
    ("path", "layer"),
    [
        ("montagna/Montagna_meetings_edgelist.csv", "meetings"),
        ("montagna/Montagna_phonecalls_edgelist.csv", "phonecalls"),
        ("caviar/phase3.csv", "phase3"),
        ("caviar/caviar_full_110x110.csv", "full"),
        ("siren-togo/siren_44x44.csv", "siren"),
        ("cases/edges.csv", "edges"),  # nothing left but format words: the whole stem
        ("ndrangheta-infinito/infinito_summits_156x47.csv", "infinito_summits"),
    ],
)
def test_default_layer_is_the_stem_without_folder_sizes_and_format_words(tmp_path, path, layer):
    assert default_layer(tmp_path / path) == layer


def test_datasets_by_folder_or_by_file(tmp_path):
    path = tmp_path / "Siren-Togo" / "Siren_44x44.csv"
    assert (folder_dataset(path), file_dataset(path)) == ("siren-togo", "siren_44x44")


def test_network_mappings_key_people_by_local_id_and_carry_layers():
    assert local_keys(get_mapping("edge_list")) == [("Person", "person_id")]
    assert local_keys(get_mapping("adjacency")) == [("Person", "person_id")]
    assert local_keys(get_mapping("two_mode")) == [("Gathering", "gathering_id"), ("Person", "person_id")]
    assert local_keys(get_mapping("cdr")) == [] and not uses_layer(get_mapping("cdr"))
    assert all(uses_layer(get_mapping(name)) for name in ("edge_list", "adjacency", "two_mode"))


def test_overlap_sentence_never_hides_a_merge():
    quiet = Overlap("montagna", "meetings", ids=101)
    assert quiet.sentence() == "dataset montagna, layer meetings: 101 ids, none shared with earlier loads"
    shared = Overlap("siren-togo", "togo", ids=33, shared=33, shared_with=["siren_44x44.csv"])
    assert shared.sentence().startswith("dataset siren-togo, layer togo: shares 33 of its 33 ids with siren_44x44.csv")


def write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_people_by_events_matrix_is_two_mode_and_adjacency_refuses_it(tmp_path):
    path = write(
        tmp_path / "summits.csv", [",summit 1,summit 2,dinner,lunch", "ann,1,0,0,1", "bob,0,1,0,0", "cat,1,0,0,0"]
    )
    export = open_export(path)
    assert choose_mapping(export).name == "two_mode"
    with pytest.raises(FileRejected, match=r"summits.csv is not a square matrix: 3 of its 3 row labels"):
        check_square(export, get_mapping("adjacency"))


def test_a_square_matrix_stays_adjacency(tmp_path):
    path = write(tmp_path / "m.csv", [",p1,p2,p3", "p1,0,1,0", "p2,1,0,2", "p3,0,2,0"])
    export = open_export(path)
    assert choose_mapping(export).name == "adjacency"
    check_square(export, get_mapping("adjacency"))  # no refusal


def test_a_table_of_amounts_with_an_index_column_is_not_two_mode(tmp_path):
    path = write(tmp_path / "amounts.csv", [",amount,fee", "0,12.5,1.5", "1,30.0,2.0", "2,8.25,0.5"])
    with pytest.raises(FileRejected, match="no mapping"):
        choose_mapping(open_export(path))
