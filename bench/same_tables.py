#!/usr/bin/python3
"""Checks that two run files hold the same tables, value for value.

usage: bench/same_tables.py A.h5 B.h5

Compares every dataset (decompressed: dtype, shape and bytes) and every
attribute of every group and dataset. The compressed chunks may differ (a
different deflate encoder gives different bytes for the same values); what a
reader sees may not. Only the build's own identity (`git_sha`,
`traineesim_version`) may differ between two builds. Exit status 0 when the
same, 1 with the differences listed otherwise.
"""
import sys

import h5py
import numpy as np

BUILD_IDENTITY = {"git_sha", "traineesim_version"}


def walk(f):
    """Every object's path and the object, groups and datasets."""
    out = {"/": f}
    f.visititems(lambda name, obj: out.__setitem__("/" + name, obj))
    return out


def same_value(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype == object:  # strings: compare the texts, not the pointers
        return a.tolist() == b.tolist()
    return a.tobytes() == b.tobytes()


def compare(path_a, path_b):
    problems = []
    with h5py.File(path_a, "r") as fa, h5py.File(path_b, "r") as fb:
        a, b = walk(fa), walk(fb)
        for name in sorted(set(a) ^ set(b)):
            problems.append(f"{name}: only in {'A' if name in a else 'B'}")
        for name in sorted(set(a) & set(b)):
            oa, ob = a[name], b[name]
            if isinstance(oa, h5py.Dataset) != isinstance(ob, h5py.Dataset):
                problems.append(f"{name}: a dataset in one file only")
                continue
            if isinstance(oa, h5py.Dataset) and not same_value(oa[()], ob[()]):
                problems.append(f"{name}: values differ")
            for key in sorted(set(oa.attrs) | set(ob.attrs)):
                if key in BUILD_IDENTITY:
                    continue
                if key not in oa.attrs or key not in ob.attrs:
                    problems.append(f"{name}@{key}: only in one file")
                elif not same_value(oa.attrs[key], ob.attrs[key]):
                    problems.append(f"{name}@{key}: differs")
        datasets = sum(isinstance(o, h5py.Dataset) for o in a.values())
    return problems, datasets


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    problems, datasets = compare(sys.argv[1], sys.argv[2])
    for p in problems:
        print(p)
    if not problems:
        print(f"same: {datasets} datasets and every attribute")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
