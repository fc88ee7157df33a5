#!/usr/bin/env python3
"""Grade a class's returned notebooks with Otter-Grader, without Docker (issue 18, item 4).

    python3 tools/course.py grade SUBMISSIONS_DIR --out OUT_DIR
    python3 tools/grade.py SUBMISSIONS_DIR --out OUT_DIR [--autograder DIR] [--timeout 600]
                           [--cell-timeout 120] [--memory-mb 4096] [--jobs 1]

Every file under SUBMISSIONS_DIR (recursively; names starting with "." are
skipped) is one submission.  The parent process first reads every file into
memory, so a submission cannot change another one's bytes.  Then each
notebook is graded in its own process (``--child``) in a fresh temporary
folder, with

* a wall-clock limit (``--timeout``): the process and its kernel are killed
  when it runs out, and every question gets 0 (status ``timeout``);
* a per-cell limit (``--cell-timeout``): a cell that runs longer is
  interrupted and the notebook goes on, so the questions after it are still
  graded (status ``timeout``);
* on Linux, ``resource.setrlimit`` limits on memory (address space), CPU time
  and the size of any file the submission writes; the kernel inherits them.

Inside the child, Otter (``otter.api.grade_submission``: the autograder zip
that ``tools/assign.py`` wrote) runs the notebook top to bottom and then its
public and hidden tests.  The child writes its result as JSON; only the parent
writes ``OUT_DIR/grades.csv`` and the feedback files, after every run.

Statuses: ``ok``; ``timeout``; ``error`` (a cell raised an exception outside
an answer cell, or the kernel died, or the grader failed); ``invalid`` (not a
notebook, or not one of the assignments).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import csv
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_AUTOGRADER = ROOT / "dist" / "assignments" / "autograder"
MAX_BYTES = 20 * 2**20          # a larger file is not a notebook a student wrote
MAX_FILE_WRITE = 200 * 2**20    # RLIMIT_FSIZE of the grading process and its kernel
TAIL = 2000                     # characters of a failed run's log kept for the feedback
ALLOWED_ERROR_TAG = "raises-exception"  # answer cells (and the chapters' deliberate errors)


# --------------------------------------------------------------------------- child process
def _set_limits(memory_mb: int, cpu_seconds: int) -> None:
    """Limits of this process, inherited by the kernel it starts (Linux; best effort elsewhere)."""
    try:
        import resource
    except ImportError:      # Windows: no rlimits (see README)
        return
    limits = [(getattr(resource, "RLIMIT_AS", None), memory_mb * 2**20),
              (getattr(resource, "RLIMIT_CPU", None), cpu_seconds),
              (getattr(resource, "RLIMIT_FSIZE", None), MAX_FILE_WRITE),
              (getattr(resource, "RLIMIT_CORE", None), 0)]
    for which, value in limits:
        if which is None:
            continue
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass             # macOS does not enforce RLIMIT_AS, for one


def child(submission: str, autograder: str, result_path: str, cell_timeout: int) -> int:
    """Grade one notebook with Otter and write the result as JSON (runs in its own process)."""
    import otter.execute
    import otter.run.run_autograder.runners.python_runner as python_runner
    from otter.api import grade_submission

    # Otter builds its ExecutePreprocessor's config inside grade_notebook: add a per-cell time limit
    # that interrupts the cell and goes on (the questions after a looping cell are still graded).
    make_config = otter.execute.Config

    def config():
        c = make_config()
        c.ExecutePreprocessor.timeout = cell_timeout
        c.ExecutePreprocessor.interrupt_on_timeout = True
        return c
    otter.execute.Config = config
    executed: list = []
    grade_notebook = python_runner.grade_notebook

    def keep_notebook(*args, **kw):
        results = grade_notebook(*args, **kw)
        executed.append(results.notebook)
        return results
    python_runner.grade_notebook = keep_notebook

    out: dict = {"questions": {}, "errors": [], "interrupted": 0}
    results = grade_submission(submission, autograder, quiet=True)
    for name, test_file in results.results.items():
        q = {"score": 0.0, "possible": 0.0, "public": [], "hidden": []}
        for r in test_file.test_case_results:
            pts = float(r.test_case.points or 0)
            q["possible"] += pts
            q["score"] += pts if r.passed else 0.0
            if r.test_case.hidden:
                q["hidden"].append(bool(r.passed))   # never the message: it may quote the reference
            else:
                q["public"].append([bool(r.passed), str(r.message)[-TAIL:]])
        out["questions"][name] = q
    for nb in executed[:1]:
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            for o in cell.get("outputs", []):
                if o.get("output_type") != "error":
                    continue
                if o.get("ename") == "KeyboardInterrupt":
                    out["interrupted"] += 1
                elif ALLOWED_ERROR_TAG not in cell.get("metadata", {}).get("tags", []):
                    out["errors"].append({"cell": i, "ename": o.get("ename", ""),
                                          "evalue": str(o.get("evalue", ""))[:300]})
    pathlib.Path(result_path).write_text(json.dumps(out), encoding="utf-8")
    return 0


# --------------------------------------------------------------------------- parent process
def load_manifest(autograder: pathlib.Path) -> dict[str, dict[str, float]]:
    path = autograder / "questions.json"
    if not path.exists():
        raise SystemExit(f"--autograder: {path} not found (make the assignments first: "
                         "python3 tools/course.py assign)")
    return json.loads(path.read_text(encoding="utf-8"))


def discover(sub_dir: pathlib.Path) -> list[pathlib.Path]:
    """Every file under ``sub_dir``, sorted; hidden files and folders (".name") are skipped."""
    found = []
    for dirpath, dirnames, filenames in os.walk(sub_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [pathlib.Path(dirpath) / f for f in filenames if not f.startswith(".")]
    return sorted(found)


def identify(name: str, data: bytes, manifest: dict) -> tuple[str | None, dict | None, str]:
    """(chapter, notebook as JSON, reason it is invalid or "")."""
    if len(data) > MAX_BYTES:
        return None, None, f"larger than {MAX_BYTES // 2**20} MB"
    try:
        import nbformat

        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as exc:  # not JSON, not a notebook, not UTF-8 ...
        return None, None, f"not a Jupyter notebook ({type(exc).__name__})"
    meta = nb.metadata.get("otter", {})
    chapter = meta.get("assignment_name") if isinstance(meta, dict) else None
    if chapter not in manifest:
        stem = pathlib.Path(name).stem
        chapter = next((c for c in manifest if stem.startswith(c) or stem[:3] == c[:3]), None)
    if chapter is None:
        return None, None, "a notebook of none of the assignments (no otter metadata, no chapter file name)"
    nb.metadata["otter"] = {"assignment_name": chapter}   # Otter checks it against the autograder
    # Graded with the course's Python, whatever kernel the student's Jupyter named (Otter would look it up).
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return chapter, nb, ""


def _kill_tree(proc: subprocess.Popen) -> None:
    """Kill the grading process, its kernel (a session of its own) and anything else they started."""
    try:
        import psutil

        kids = psutil.Process(proc.pid).children(recursive=True)
    except Exception:
        kids = []
    for p in kids:
        try:
            p.kill()
        except Exception:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass
    proc.wait()


def run_one(nb: dict, chapter: str, autograder: pathlib.Path, timeout: float, cell_timeout: int,
            memory_mb: int) -> dict:
    """Grade one notebook in a child process, in a temporary folder; return the outcome."""
    import nbformat

    work = pathlib.Path(tempfile.mkdtemp(prefix="xent-grade-"))
    try:
        sub = work / f"{chapter}.ipynb"
        nbformat.write(nbformat.from_dict(nb), sub)
        result = work / "result.json"
        log = work / "log.txt"
        env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "XENT_ANSWERS")}
        env.update({"PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                    "MKL_NUM_THREADS": "1", "XENT_GRADE_MEMORY_MB": str(memory_mb),
                    "XENT_GRADE_CPU_SECONDS": str(int(timeout) + 30)})
        cmd = [sys.executable, os.path.abspath(__file__), "--child", str(sub),
               str(autograder / f"{chapter}.zip"), str(result), str(cell_timeout)]
        start = time.monotonic()
        with open(log, "wb") as fh:
            proc = subprocess.Popen(cmd, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=fh,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            try:
                rc = proc.wait(timeout=timeout)
                killed = False
            except subprocess.TimeoutExpired:
                killed, rc = True, None
            _kill_tree(proc)   # also after a normal exit: a kernel or process left behind
        secs = time.monotonic() - start
        tail = log.read_bytes()[-TAIL:].decode("utf-8", "replace")
        data = None
        if not killed and rc == 0 and result.exists():
            try:
                data = json.loads(result.read_text(encoding="utf-8"))
            except ValueError:
                data = None
        return {"killed": killed, "rc": rc, "data": data, "log": tail, "seconds": secs}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def verdict(outcome: dict, questions: dict[str, float], timeout: float, cell_timeout: int) -> dict:
    """Points per question, total, possible, status and the feedback's lines."""
    points = {q: 0.0 for q in questions}
    lines: list[str] = []
    data = outcome.get("data")
    if outcome.get("killed"):
        status = "timeout"
        lines.append(f"The notebook did not finish within {timeout:g} s and was stopped: no question "
                     "could be graded (each gets 0). Look for a loop that never ends, or a very slow cell.")
    elif data is None:
        status = "error"
        lines.append("The notebook could not be graded: the kernel died or the run failed "
                     f"(exit code {outcome.get('rc')}). This happens when a cell crashes Python, exits it "
                     "(os._exit, sys.exit in a script), or uses more memory than allowed. Every question gets 0.")
    else:
        status = "ok"
        if data["interrupted"]:
            status = "timeout"
            lines.append(f"{data['interrupted']} cell(s) ran longer than {cell_timeout} s and were interrupted; "
                         "the rest of the notebook was still graded.")
        if data["errors"]:
            status = "error" if status == "ok" else status
            for e in data["errors"][:10]:
                lines.append(f"Cell {e['cell']} raised {e['ename']}: {e['evalue']}")
    for q, possible in questions.items():
        r = (data or {}).get("questions", {}).get(q)
        if r is None:
            lines.append(f"\n[{q}] 0 / {possible:g}: not graded")
            continue
        points[q] = float(r["score"])
        lines.append(f"\n[{q}] {points[q]:g} / {possible:g}")
        for passed, message in r["public"]:
            lines.append("  your check (public test): " + ("passed" if passed else "failed"))
            if not passed:
                lines.append("    " + message.strip().replace("\n", "\n    "))
        for passed in r["hidden"]:
            lines.append("  teacher's test (hidden): " + ("passed" if passed else "failed"))
    return {"points": points, "total": sum(points.values()), "possible": float(sum(questions.values())),
            "status": status, "lines": lines}


def grade(sub_dir: os.PathLike | str, out_dir: os.PathLike | str, autograder: os.PathLike | str = DEFAULT_AUTOGRADER,
          timeout: float = 600, cell_timeout: int = 120, memory_mb: int = 4096, jobs: int = 1) -> list[dict]:
    """Grade every file under ``sub_dir``; write ``out_dir``/grades.csv and feedback/; return the rows."""
    sub_dir, out_dir, autograder = (pathlib.Path(p).resolve() for p in (sub_dir, out_dir, autograder))
    if not sub_dir.is_dir():
        raise SystemExit(f"SUBMISSIONS_DIR: {sub_dir} is not a folder")
    if out_dir == sub_dir or sub_dir in out_dir.parents:
        raise SystemExit(f"--out: {out_dir} is inside SUBMISSIONS_DIR; choose a folder outside it")
    for name, value in (("--timeout", timeout), ("--cell-timeout", cell_timeout), ("--memory-mb", memory_mb),
                        ("--jobs", jobs)):
        if value <= 0:
            raise SystemExit(f"{name} must be positive, got {value}")
    manifest = load_manifest(autograder)
    # Read every submission before any runs: a submission cannot alter or delete another one.
    files = discover(sub_dir)
    items = []
    for path in files:
        rel = path.relative_to(sub_dir).as_posix()
        data = b"" if path.is_symlink() else path.read_bytes()
        chapter, nb, why = identify(rel, data, manifest) if not path.is_symlink() else (None, None, "a symlink")
        items.append({"submission": rel, "chapter": chapter, "nb": nb, "invalid": why})

    def work(item: dict) -> dict:
        if item["invalid"]:
            return {}
        print(f"[grade] {item['submission']} ({item['chapter']}) ...", flush=True)
        outcome = run_one(item["nb"], item["chapter"], autograder, timeout, cell_timeout, memory_mb)
        print(f"[grade] {item['submission']}: done in {outcome['seconds']:.0f} s", flush=True)
        return outcome

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        outcomes = list(pool.map(work, items))

    rows, feedback = [], {}
    for item, outcome in zip(items, outcomes, strict=True):
        if item["invalid"]:
            qs = manifest.get(item["chapter"] or "", {})
            v = {"points": {}, "total": 0.0, "possible": float(sum(qs.values())), "status": "invalid",
                 "lines": [f"This file was not graded: {item['invalid']}."]}
        else:
            v = verdict(outcome, manifest[item["chapter"]], timeout, cell_timeout)
        rows.append({"submission": item["submission"], "chapter": item["chapter"] or "", **v})
        head = [f"Submission: {item['submission']}", f"Assignment: {item['chapter'] or '-'}",
                f"Status: {v['status']}", f"Score: {v['total']:g} / {v['possible']:g}", ""]
        feedback[item["submission"]] = "\n".join(head + v["lines"]) + "\n"
    # Only now, after every run, the parent writes the results (a submission cannot forge them).
    chapters = [c for c in manifest if any(r["chapter"] == c for r in rows)]
    qcols = [q for c in chapters for q in manifest[c]]
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out_dir / "feedback", ignore_errors=True)
    with open(out_dir / "grades.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["submission", "chapter", *qcols, "total", "possible", "status"])
        for r in rows:
            w.writerow([r["submission"], r["chapter"],
                        *(f"{r['points'][q]:g}" if q in r["points"] else "" for q in qcols),
                        f"{r['total']:g}", f"{r['possible']:g}", r["status"]])
    for rel, text in feedback.items():
        target = out_dir / "feedback" / (rel + ".txt")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"[grade] {len(rows)} submission(s): {out_dir / 'grades.csv'}, feedback in {out_dir / 'feedback'}")
    return rows


def main(argv: list[str]) -> int:
    os.chdir(os.environ.pop("XENT_CALLER_CWD", os.getcwd()))  # course.py runs us from the repository root
    if argv[:1] == ["--child"]:
        submission, autograder, result, cell_timeout = argv[1:5]
        _set_limits(int(os.environ.get("XENT_GRADE_MEMORY_MB", "4096")),
                    int(os.environ.get("XENT_GRADE_CPU_SECONDS", "630")))
        return child(submission, autograder, result, int(cell_timeout))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("submissions", metavar="SUBMISSIONS_DIR")
    ap.add_argument("--out", required=True, metavar="OUT_DIR")
    ap.add_argument("--autograder", default=str(DEFAULT_AUTOGRADER),
                    help="the autograder/ folder of `course.py assign` (default: dist/assignments/autograder)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per submission (default 600)")
    ap.add_argument("--cell-timeout", type=int, default=120, help="seconds per cell (default 120)")
    ap.add_argument("--memory-mb", type=int, default=4096, help="address-space limit, MiB (default 4096)")
    ap.add_argument("--jobs", type=int, default=1, help="submissions graded at once (default 1)")
    a = ap.parse_args(argv)
    grade(a.submissions, a.out, a.autograder, a.timeout, a.cell_timeout, a.memory_mb, a.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
