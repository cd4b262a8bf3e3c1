"""Bad traineesim files for the loaders' tests, made from files the simulator
writes: one per class of damage, each with the message a loader must give.

    bad_files.py TRAINEESIM SOURCE_DIR WORK_DIR

writes the files under WORK_DIR and WORK_DIR/manifest.tsv (case, loader,
path, expected message part) for tests/tools/r_loader_bad_files_test.R;
tests/tools/loaders_bad_files_test.py imports make() instead.
"""
import os
import shutil
import subprocess
import sys
from collections import namedtuple

import h5py
import numpy as np

Case = namedtuple("Case", "name loader path expected")  # loader: run / sweep / comparison


def _run_file(binary, source, work):
    """A full-record run file of the benchmark workload (small cohort, one events chunk or more)."""
    out = os.path.join(work, "good")
    subprocess.run([binary, "run", os.path.join(source, "scenarios", "bench", "pipeline.toml"), "--set",
                    "parameters.cohort=300", "--record", "full", "--seed", "3", "--out", out, "-q"],
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.join(out, "baseline", "run_0.h5")


def _sweep_index(binary, source, work):
    folder = os.path.join(work, "sweep")
    os.makedirs(folder, exist_ok=True)
    definition = os.path.join(folder, "tiny.toml")
    with open(definition, "w") as f:
        f.write(f'[sweep]\nname = "tiny"\nscenario = "{os.path.join(source, "scenarios", "bench", "pipeline.toml")}"\n'
                'replications = 1\nseed = 3\nrecord = "summary"\n\n[grid]\n"parameters.cohort" = [100]\n')
    subprocess.run([binary, "sweep", definition, "--out", os.path.join(folder, "out"), "-q"], check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(folder, "out", "sweep.h5")


class _Maker:
    def __init__(self, work, good):
        self.work, self.good, self.cases = work, good, []

    def path(self, name):
        return os.path.join(self.work, "bad", name + ".h5")

    def add(self, name, expected, loader="run"):
        self.cases.append(Case(name, loader, self.path(name), expected))

    def copy(self, name, source=None):
        p = self.path(name)
        shutil.copyfile(source or self.good, p)
        return p

    def edit(self, name, expected, change, source=None, loader="run"):
        """A copy of a good file changed with h5py (HDF5 compresses edited chunks again)."""
        with h5py.File(self.copy(name, source), "r+") as f:
            change(f)
        self.add(name, expected, loader)


def _flip_chunk_bit(path, dataset):
    """Flips one bit in the middle of the first stored chunk of `dataset`."""
    with h5py.File(path, "r") as f:
        info = f[dataset].id.get_chunk_info(0)
    with open(path, "r+b") as fh:
        fh.seek(info.byte_offset + info.size // 2)
        byte = fh.read(1)[0]
        fh.seek(info.byte_offset + info.size // 2)
        fh.write(bytes([byte ^ 0x10]))


def _replace_column(f, path, values, **attrs):
    """Rewrites a column with other values (and the attributes given)."""
    kept = {k: v for k, v in f[path].attrs.items()}
    del f[path]
    f.create_dataset(path, data=values, chunks=True)
    for k, v in {**kept, **attrs}.items():
        f[path].attrs[k] = v


def _files_of_the_wrong_kind(m, work, sweep):
    """Nothing there, empty, text, a folder, truncated, another HDF5 file, another traineesim file."""
    m.cases.append(Case("missing", "run", m.path("missing"), "no such file"))
    open(m.path("empty"), "wb").close()
    m.add("empty", "empty file (0 bytes)")
    with open(m.path("text"), "w") as f:
        f.write("run 3 finished fine\n")
    m.add("text", "not an HDF5 file")
    os.makedirs(m.path("folder"))
    m.add("folder", "a folder, not a file")
    size = os.path.getsize(m.copy("truncated"))
    os.truncate(m.path("truncated"), size // 2)
    m.add("truncated", f"truncated ({size // 2} of {size} bytes)")
    with h5py.File(m.path("foreign"), "w") as f:
        f.create_dataset("measurements", data=np.arange(10))
    m.add("foreign", "not a traineesim run file (no schema attribute)")
    m.copy("sweep_as_run", sweep)
    m.add("sweep_as_run", "not a traineesim run file (schema 'traineesim.sweep')")


def _damaged_run_files(m):
    """Real run files, each with one thing wrong."""
    m.copy("flipped_bit")
    _flip_chunk_bit(m.path("flipped_bit"), "events/person_id")
    m.add("flipped_bit", "/events/person_id cannot be read (damaged: ")
    m.edit("state_out_of_range", "/events/to_state row 0: code 99 is not in /dictionary/states",
           lambda f: f["events/to_state"].__setitem__(0, 99))
    m.edit("level_out_of_range", "/persons/group row 5: code 7 is not in /dictionary/attributes/group",
           lambda f: f["persons/group"].__setitem__(5, 7))
    m.edit("route_below_minus_one", "/persons/route row 2: code -2 is not in /dictionary/routes",
           lambda f: f["persons/route"].__setitem__(2, -2))
    m.edit("missing_dictionary", "dictionary /dictionary/pools is missing",
           lambda f: f.__delitem__("dictionary/pools"))
    m.edit("no_role", "/census/state has no role attribute", lambda f: f["census/state"].attrs.__delitem__("role"))
    m.edit("no_dictionary_attribute", "/events/event has no dictionary attribute",
           lambda f: f["events/event"].attrs.__delitem__("dictionary"))
    m.edit("unknown_role", "/flows/count has role 'colour', which this loader does not know",
           lambda f: f["flows/count"].attrs.__setitem__("role", "colour"))
    m.edit("schema_version_1", "schema version 1, this loader reads 2",
           lambda f: f.attrs.__setitem__("schema_version", np.int32(1)))
    m.edit("incomplete", "incomplete file (no complete = 1)", lambda f: f.attrs.__delitem__("complete"))
    # Text from the file is escaped: the message stays on one line.
    m.edit("schema_with_a_newline", "not a traineesim run file (schema 'traineesim",
           lambda f: f.attrs.__setitem__("schema", "traineesim\nrun"))
    m.edit("unequal_lengths", "/census: columns of different lengths",
           lambda f: _replace_column(f, "census/fte", f["census/fte"][()][:-1]))
    m.edit("huge_extent", "/events/day claims 1099511627776 rows but stores ",
           lambda f: f["events/day"].resize((2 ** 40,)))
    m.edit("dictionary_without_labels", "dictionary /dictionary/states has no name or label column",
           lambda f: f.__delitem__("dictionary/states/name"))


def _bad_sweep_and_comparison_files(m, sweep):
    open(m.path("sweep_empty"), "wb").close()
    m.add("sweep_empty", "empty file (0 bytes)", "sweep")
    m.add("sweep_given_a_run_file", "not a traineesim sweep index (schema 'traineesim.run')", "sweep")
    m.cases[-1] = m.cases[-1]._replace(path=m.good)
    size = os.path.getsize(m.copy("sweep_truncated", sweep))
    os.truncate(m.path("sweep_truncated"), size // 2)
    m.add("sweep_truncated", f"truncated ({size // 2} of {size} bytes)", "sweep")
    m.edit("sweep_without_aggregate", "no /aggregate table", lambda f: f.__delitem__("aggregate"), sweep, "sweep")
    m.edit("sweep_schema_version_3", "schema version 3, this loader reads 1 or 2",
           lambda f: f.attrs.__setitem__("schema_version", np.int32(3)), sweep, "sweep")
    m.add("comparison_given_a_run_file", "not a traineesim comparison file (schema 'traineesim.run')", "comparison")
    m.cases[-1] = m.cases[-1]._replace(path=m.good)
    with open(m.path("comparison_text"), "w") as f:
        f.write("indicator,policy\n")
    m.add("comparison_text", "not an HDF5 file", "comparison")


def make(binary, source, work):
    """Writes the good files and the bad ones under `work`; returns (good run file, good sweep index, cases)."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "bad"))
    source = os.path.abspath(source)
    good, sweep = _run_file(binary, source, work), _sweep_index(binary, source, work)
    m = _Maker(work, good)
    _files_of_the_wrong_kind(m, work, sweep)
    _damaged_run_files(m)
    _bad_sweep_and_comparison_files(m, sweep)
    return good, sweep, m.cases


if __name__ == "__main__":
    good_run, _, corpus = make(*sys.argv[1:4])
    with open(os.path.join(sys.argv[3], "manifest.tsv"), "w") as out:
        out.write(f"good\trun\t{good_run}\t\n")
        for c in corpus:
            out.write(f"{c.name}\t{c.loader}\t{c.path}\t{c.expected}\n")
