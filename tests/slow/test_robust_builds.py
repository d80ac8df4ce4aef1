"""Issue 6.3 - interrupted and concurrent builds, damaged index files.

* ``qa build`` killed (SIGKILL) at random moments never leaves an index that
  loads wrong: it loads with exactly the chunks of the previous or of the new
  seeds, or raises an error that names ``qa build``. Most kills run the real
  ``qa`` command with a fast fake model injected (tests/fake_qa.py), so many kills
  fit in seconds; a few run it with the real default model. A deterministic
  companion crashes the build at every file-system step of the write.
* Two builds at once on one index folder: one refuses with a message (the
  lock), the result is one build's index, never a mix.
* A damaged, truncated or missing index file (each kind, the manifest too) is
  detected by the manifest's sizes and hashes; ``load_index`` raises
  IndexCorruptError naming ``qa build``, and ``qa search`` exits non-zero with
  that message and no traceback.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from helpers_robust import (
    QA,
    FakeEmbedder,
    assert_clean_failure,
    chunk_dicts,
    fake_qa,
    make_seed_set,
    qa_env,
    run_qa,
)

import qa.index.build
import qa.index.store
from qa.core.errors import IndexCorruptError, IndexLockedError, IndexMissingError
from qa.index.build import LOCK, build_index
from qa.index.manifest import MANIFEST, read_manifest
from qa.index.store import load_index

KILLS = 12  # kills of the real command with the fake model
REAL_MODEL_KILLS = 1  # kills of the real command with the default model, in its write phase
SEED = int(os.environ.get("QA_TEST_SEED", random.randrange(1 << 30)))


@pytest.fixture(scope="module")
def seed_sets(tmp_path_factory):
    """Two seeds folders whose every chunk differs, and their reference chunks."""
    root = tmp_path_factory.mktemp("seedsets")
    sets = {"A": make_seed_set(root / "A", "甲"), "B": make_seed_set(root / "B", "乙", copies=7)}
    ref = {}
    for name, folder in sets.items():
        build_index(folder, root / ("ref-" + name), FakeEmbedder())
        ref[name] = chunk_dicts(root / ("ref-" + name))
    assert ref["A"] != ref["B"]
    return sets, ref


def state_of(index_dir: Path, ref: dict) -> str:
    """Which seed set the index serves: "A", "B", or "missing"/"corrupt" with a message naming qa build."""
    try:
        chunks = chunk_dicts(index_dir)
    except (IndexMissingError, IndexCorruptError) as exc:
        assert "qa build" in str(exc), exc
        return "missing" if isinstance(exc, IndexMissingError) else "corrupt"
    for name, expected in ref.items():
        if chunks == expected:
            return name
    raise AssertionError("the index loads but holds neither seed set's chunks (%d chunks)" % len(chunks))


def leftovers(index_dir: Path) -> list[str]:
    """Files of interrupted builds still lying around (none after a completed build)."""
    keep = {info["name"] for info in read_manifest(index_dir)["files"].values()} | {MANIFEST, LOCK}
    return sorted(p.name for p in index_dir.iterdir() if p.name not in keep)


def _build_id(index_dir: Path) -> str:
    try:
        return read_manifest(index_dir)["build_id"]
    except Exception:
        return ""


def _kill_during(cmd, env, rng, full_seconds: float, index_dir: Path, when: str) -> str:
    """Start ``cmd`` and SIGKILL it: at a random moment (``when="random"``), a random
    moment into its write phase ("writing"), or just after it swapped the manifest
    while it removes the old files ("swapped")."""
    before = _build_id(index_dir)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + full_seconds * 3 + 10
        if when == "random":
            time.sleep(rng.uniform(0, full_seconds))
        elif when == "writing":
            while time.monotonic() < deadline and proc.poll() is None:
                if any(p.name.startswith(".build-") for p in index_dir.iterdir()):
                    break
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.3))
        else:
            while time.monotonic() < deadline and proc.poll() is None and _build_id(index_dir) == before:
                time.sleep(0.001)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        stderr = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
    assert "Traceback" not in stderr, stderr
    return "finished" if finished else "killed"


def test_sigkill_at_random_moments(seed_sets, tmp_path):
    sets, ref = seed_sets
    rng = random.Random(SEED)
    print("QA_TEST_SEED=%d" % SEED)
    env = qa_env()
    index_dir = tmp_path / "index"

    def cmd(target):
        return [*fake_qa(), "build", "--force", "--seeds", str(sets[target]), "--out", str(index_dir), "-q"]

    # A first build killed: no index yet, so either none (a clear error) or the whole new one.
    index_dir.mkdir()
    _kill_during(cmd("A"), env, rng, 3.0, index_dir, when="writing")
    assert state_of(index_dir, ref) in ("missing", "A")
    build_index(sets["A"], index_dir, FakeEmbedder(), force=True)
    # How long a whole rebuild takes, to spread the random kills over it.
    start = time.monotonic()
    whole = subprocess.run(cmd("B"), env=env, capture_output=True, text=True, timeout=120)
    full = time.monotonic() - start
    assert whole.returncode == 0, whole.stderr

    outcomes = []
    current = "B"
    for trial in range(KILLS):
        target = "B" if current == "A" else "A"
        when = ("random", "writing", "swapped")[trial % 3]
        how = _kill_during(cmd(target), env, rng, full, index_dir, when)
        state = state_of(index_dir, ref)
        assert state in (current, target), ("rerun with QA_TEST_SEED=%d" % SEED, trial, when, how, state)
        outcomes.append((when, how, "new" if state == target else "old"))
        current = state
    print("kills (fake model, %.1fs a build):" % full, outcomes)
    assert {o[2] for o in outcomes} == {"old", "new"}  # killed before and after the swap

    # After all that, a normal build works (no stale lock) and clears every leftover.
    done = subprocess.run(cmd("B"), env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert state_of(index_dir, ref) == "B"
    assert leftovers(index_dir) == []


def test_sigkill_with_the_real_model(seed_sets, tmp_path):
    """The same with the default model: kills during model loading, embedding and writing."""
    sets, ref = seed_sets
    rng = random.Random(SEED + 1)
    index_dir = tmp_path / "index"
    build_index(sets["A"], index_dir, FakeEmbedder(model_id="default"))  # reuse nothing: other vectors
    current = "A"
    for trial in range(REAL_MODEL_KILLS):
        target = "B" if current == "A" else "A"
        cmd = [str(QA), "build", "--force", "--seeds", str(sets[target]), "--out", str(index_dir), "-q"]
        _kill_during(cmd, qa_env(), rng, 8.0, index_dir, when=("writing", "random")[trial % 2])
        state = state_of(index_dir, ref)
        assert state in (current, target), (trial, state)
        current = state


class _Crash(BaseException):
    """Stands for SIGKILL: nothing after it runs (not even `except Exception`)."""


def _crashing(monkeypatch, crash_at: int, torn: bool, counter: list[int]):
    """Patch every file-system change a build makes so that change number ``crash_at`` never completes."""
    real_replace, real_rmtree, real_unlink = os.replace, shutil.rmtree, Path.unlink
    real_write = qa.index.build._write_bytes

    def step():
        counter[0] += 1
        return counter[0] == crash_at

    def write_bytes(path, data):
        if step():
            if torn:  # the kill lands mid-write: half the bytes reach the disk
                with open(path, "wb") as handle:
                    handle.write(data[: len(data) // 2])
            raise _Crash()
        real_write(path, data)

    def replace(src, dst, **kw):
        if step():
            raise _Crash()
        return real_replace(src, dst, **kw)

    def rmtree(path, *args, **kw):
        if step():
            raise _Crash()
        return real_rmtree(path, *args, **kw)

    def unlink(self, *args, **kw):
        if step():
            raise _Crash()
        return real_unlink(self, *args, **kw)

    monkeypatch.setattr(qa.index.build, "_write_bytes", write_bytes)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    monkeypatch.setattr(Path, "unlink", unlink)


def test_crash_at_every_step_of_the_write(tmp_path, monkeypatch):
    """Deterministic: the build dies before each file-system change in turn (and mid-write, for writes)."""
    sets = {"A": make_seed_set(tmp_path / "A", "甲", copies=1), "B": make_seed_set(tmp_path / "B", "乙", copies=1)}
    ref = {}
    for name, folder in sets.items():
        build_index(folder, tmp_path / ("ref-" + name), FakeEmbedder())
        ref[name] = chunk_dicts(tmp_path / ("ref-" + name))
    template = tmp_path / "template"
    build_index(sets["A"], template, FakeEmbedder())
    # How many changes does a full rebuild make?
    counter = [0]
    probe = tmp_path / "probe"
    shutil.copytree(template, probe)
    with monkeypatch.context() as m:
        _crashing(m, crash_at=-1, torn=False, counter=counter)
        build_index(sets["B"], probe, FakeEmbedder(), force=True)
    total = counter[0]
    assert total >= 15, total  # files written, renamed into place, manifest swapped, old files removed

    seen = set()
    for crash_at in range(1, total + 1):
        for torn in (False, True):
            index_dir = tmp_path / ("run-%d-%d" % (crash_at, torn))
            shutil.copytree(template, index_dir)
            with monkeypatch.context() as m:
                _crashing(m, crash_at, torn, [0])
                with pytest.raises(_Crash):
                    build_index(sets["B"], index_dir, FakeEmbedder(), force=True)
            state = state_of(index_dir, ref)
            assert state in ("A", "B"), (crash_at, torn, state)
            seen.add(state)
            # The next build recovers and removes what the crashed one left.
            build_index(sets["B"], index_dir, FakeEmbedder(), force=True)
            assert state_of(index_dir, ref) == "B" and leftovers(index_dir) == []
            shutil.rmtree(index_dir)
    assert seen == {"A", "B"}  # crashes before and after the manifest swap were both exercised


def test_a_second_build_refuses_while_one_holds_the_lock(seed_sets, tmp_path):
    from filelock import FileLock

    sets, ref = seed_sets
    index_dir = tmp_path / "index"
    build_index(sets["A"], index_dir, FakeEmbedder())
    with FileLock(str(index_dir / LOCK)):
        with pytest.raises(IndexLockedError, match="another build"):
            build_index(sets["B"], index_dir, FakeEmbedder(), force=True)
        proc = run_qa("build", "--force", "--seeds", sets["B"], "--out", index_dir, "-q",
                      fake=True)
        assert_clean_failure(proc, "another build is writing")
    assert state_of(index_dir, ref) == "A"
    # With lock_wait, a build waits for the lock instead of refusing.
    lock = FileLock(str(index_dir / LOCK), thread_local=False)  # released by another thread
    lock.acquire()
    threading.Timer(0.5, lock.release).start()
    report = build_index(sets["B"], index_dir, FakeEmbedder(), force=True, lock_wait=10)
    assert report.built and state_of(index_dir, ref) == "B"


def test_two_builds_at_once_never_interleave(seed_sets, tmp_path):
    sets, ref = seed_sets
    index_dir = tmp_path / "index"
    env = qa_env()
    # Each build holds the lock for a second or more.
    procs = [subprocess.Popen([*fake_qa(delay=0.05), "build", "--force", "--seeds", str(sets[name]), "--out", str(index_dir),
                               "-q"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("A", "B")]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    codes = [code for code, _, _ in results]
    assert 0 in codes, results
    for code, out, err in results:
        assert "Traceback" not in err
        if code:
            assert "another build is writing" in err, err
    winners = [name for name, (code, _, _) in zip("AB", results) if code == 0]
    assert state_of(index_dir, ref) in winners
    assert leftovers(index_dir) == []


def test_readers_never_fail_while_builds_swap_the_index(seed_sets, tmp_path):
    """A server reloading while `qa build` runs: every load gives one whole build."""
    sets, ref = seed_sets
    index_dir = tmp_path / "index"
    build_index(sets["A"], index_dir, FakeEmbedder())
    done = threading.Event()
    errors = []

    def rebuild():
        try:
            for i in range(6):
                build_index(sets["BA"[i % 2]], index_dir, FakeEmbedder(), force=True, lock_wait=30)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    builder = threading.Thread(target=rebuild)
    builder.start()
    loads = 0
    while not done.is_set():
        assert state_of(index_dir, ref) in ("A", "B")
        loads += 1
    builder.join()
    assert not errors, errors
    assert loads > 3


def test_load_retries_when_a_build_swaps_the_manifest_mid_read(seed_sets, tmp_path, monkeypatch):
    """Deterministic version of the race above: the old files vanish between manifest and file reads."""
    sets, ref = seed_sets
    index_dir = tmp_path / "index"
    build_index(sets["A"], index_dir, FakeEmbedder())
    real_sha = qa.index.store.sha256_file

    def racing(path):
        monkeypatch.setattr(qa.index.store, "sha256_file", real_sha)
        build_index(sets["B"], index_dir, FakeEmbedder(), force=True)  # deletes the files being read
        return real_sha(path) if Path(path).exists() else "gone"

    monkeypatch.setattr(qa.index.store, "sha256_file", racing)
    assert [c.to_dict() for c in load_index(index_dir).chunks] == ref["B"]


# ------------------------------------------------------------------ damage


@pytest.fixture(scope="module")
def built_index(seed_sets, tmp_path_factory):
    sets, _ = seed_sets
    folder = tmp_path_factory.mktemp("damage") / "template"
    build_index(sets["A"], folder, FakeEmbedder())
    return folder


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "delete":
        path.unlink()
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif how == "append":
        path.write_bytes(data + b"\x00")  # trailing garbage
    else:
        at = {"flip-first": 0, "flip-middle": len(data) // 2, "flip-last": len(data) - 1}[how]
        path.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:])


def _kinds(index_dir: Path) -> dict[str, str]:
    files = {key: info["name"] for key, info in read_manifest(index_dir)["files"].items()}
    files["manifest"] = MANIFEST
    return files


DAMAGES = ["flip-first", "flip-middle", "flip-last", "truncate", "empty", "append", "delete"]


def test_every_kind_of_damage_is_detected(built_index, tmp_path):
    kinds = _kinds(built_index)
    assert {"vectors", "chunks", "articles", "manifest"} <= set(kinds) and any(k.startswith("bm25:") for k in kinds)
    for kind, name in kinds.items():
        for how in DAMAGES:
            index_dir = tmp_path / ("%s-%s" % (kind.replace(":", "_"), how))
            shutil.copytree(built_index, index_dir)
            _damage(index_dir / name, how)
            expected = IndexMissingError if (kind, how) == ("manifest", "delete") else IndexCorruptError
            with pytest.raises(expected) as info:
                load_index(index_dir)
            assert "qa build" in str(info.value), (kind, how, info.value)
            shutil.rmtree(index_dir)


def test_every_flipped_bit_of_the_manifest_is_detected(tmp_path):
    index_dir = tmp_path / "index"
    build_index(make_seed_set(tmp_path / "seeds", "甲", copies=1), index_dir, FakeEmbedder())
    path = index_dir / MANIFEST
    data = path.read_bytes()
    with open(path, "r+b") as handle:  # flipped in place: rewriting the file each time is slow
        for at in range(len(data)):
            for bit in (0x01, 0x20, 0x80):
                handle.seek(at)
                handle.write(bytes([data[at] ^ bit]))
                handle.flush()
                with pytest.raises(IndexCorruptError, match="qa build"):
                    read_manifest(index_dir)
            handle.seek(at)
            handle.write(data[at:at + 1])
    assert path.read_bytes() == data
    load_index(index_dir)


def test_qa_search_on_a_damaged_index_says_how_to_fix_it(built_index, tmp_path, capsys):
    from qa.cli import main

    kinds = _kinds(built_index)
    for kind, name in kinds.items():
        index_dir = tmp_path / kind.replace(":", "_")
        shutil.copytree(built_index, index_dir)
        _damage(index_dir / name, "flip-middle")
        assert main(["search", "--index", str(index_dir), "建筑面积"]) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "qa build" in err, (kind, err)
        if kind in ("vectors", "chunks", "manifest"):  # the real command, exit code and stderr
            assert_clean_failure(run_qa("search", "--index", index_dir, "建筑面积"), "qa build")
            assert_clean_failure(run_qa("ask", "--index", index_dir, "建筑面积是多少?"), "qa build")
    assert_clean_failure(run_qa("search", "--index", tmp_path / "nothing-here", "建筑面积"), "qa build")
