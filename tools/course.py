#!/usr/bin/env python3
"""One entry point for the course: build the site, run every test, benchmark.

    python3 tools/course.py build     # the site, in _build/html (main job)
    python3 tools/course.py test      # every test: ruff + mypy + dupes first, then nbval strict, pytest, browser
    python3 tools/course.py lint      # only ruff and mypy (seconds)
    python3 tools/course.py dupes     # repeated code (pylint's duplicate-code check, about 30 s)
    python3 tools/course.py check NN  # after an edit to chapter NN: execute, conventions, nbval, its tests, lint, site
    python3 tools/course.py bench     # build / rebuild / nbval timings
    python3 tools/course.py student   # student edition (no solutions, no outputs) in student/
    python3 tools/course.py assign    # a class's assignments (Otter-Grader) in dist/assignments/
    python3 tools/course.py grade SUBMISSIONS_DIR --out OUT_DIR   # grade the returned notebooks: grades.csv
    python3 tools/course.py env       # only create or update .venv
    python3 tools/course.py lab       # JupyterLab on chapters/ (or `lab student/`; other arguments go to `jupyter lab`)
    python3 tools/course.py pdf       # the whole course as one PDF: _build/pdf/cross-entropy-course.pdf

Each command first makes sure the project's own virtual environment
(``.venv`` at the repository root) exists and holds exactly what
``requirements.txt`` pins plus ``xentlib`` (editable).  Only Python 3.11+
and pip are needed; nothing is installed outside ``.venv``.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blas_env import pin_blas_kernels  # noqa: E402

VENV = os.path.join(ROOT, ".venv")
BIN = os.path.join(VENV, "Scripts" if os.name == "nt" else "bin")
PY = os.path.join(BIN, "python")
STAMP = os.path.join(VENV, ".xentlib-install-stamp")


def log(msg: str) -> None:
    print(f"[course] {msg}", flush=True)


def run(cmd: list[str], **kw) -> int:
    log("$ " + " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c for c in cmd))
    env = dict(os.environ)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = VENV
    env.setdefault("PYTHONHASHSEED", "0")
    # The notebooks' kernels must use matplotlib's inline backend, which
    # ipykernel selects only when MPLBACKEND is unset: with MPLBACKEND=agg
    # (common on CI machines) plt.show() displays nothing, the site loses
    # every figure and nbval strict sees the stored images go missing.
    env.pop("MPLBACKEND", None)
    pin_blas_kernels(env)  # the same float rounding on every machine (tools/blas_env.py)
    env.update(kw.pop("env", {}))
    return subprocess.call(cmd, cwd=ROOT, env=env, **kw)


def _fingerprint() -> str:
    h = hashlib.sha256()
    for name in ("requirements.txt", "pyproject.toml"):
        with open(os.path.join(ROOT, name), "rb") as fh:
            h.update(fh.read())
    h.update(sys.version.encode())
    return h.hexdigest()


def ensure_env() -> None:
    """Create .venv and install the pinned requirements when they changed."""
    if not os.path.exists(PY):
        log(f"creating virtual environment {os.path.relpath(VENV, ROOT)}")
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    fp = _fingerprint()
    if os.path.exists(STAMP) and open(STAMP).read() == fp:
        return
    log("installing the pinned requirements (first run: about a minute)")
    steps = [
        [PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt"],
        [PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-e", "."],
    ]
    for cmd in steps:
        if run(cmd) != 0:
            sys.exit("[course] installation failed (see the pip output above)")
    with open(STAMP, "w") as fh:
        fh.write(fp)


ALL = "*"  # affected_notebooks(): every notebook
CHAPTER_MODULE = re.compile(r"^xentlib/course/ch(\d\d)_(\w+)\.py$")
ERRATA = "chapters/07_errata.ipynb"
def _state_path() -> str:
    return os.path.join(ROOT, "_build", ".xentlib-state.json")
STATE_FORMAT = 2  # the kin entries are [kin, claim id, verdict]


def library_files(root: str | None = None) -> dict[str, str]:
    """sha256 of every ``xentlib/**/*.py``, by path relative to ``root`` (``/`` separators)."""
    root = root or ROOT
    out = {}
    for folder, dirs, files in os.walk(os.path.join(root, "xentlib")):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, "rb") as fh:
                    out[os.path.relpath(path, root).replace(os.sep, "/")] = hashlib.sha256(fh.read()).hexdigest()
    return out


def notebooks(root: str | None = None) -> list[str]:
    """The chapter notebooks, relative to ``root``."""
    root = root or ROOT
    folder = os.path.join(root, "chapters")
    return sorted(f"chapters/{n}" for n in os.listdir(folder) if n.endswith(".ipynb"))


def _mentions(root: str, nb_path: str) -> str:
    """The code of a notebook's cells (what it imports and calls)."""
    with open(os.path.join(root, nb_path), encoding="utf-8") as fh:
        nb = json.load(fh)
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def affected_notebooks(old: dict, new: dict, root: str | None = None) -> set[str] | str:
    """The notebooks whose outputs a change of ``xentlib`` (or of the pins) can change.

    ``old`` and ``new`` are states ``{"env": ..., "files": {path: sha256},
    "kin": {chapter: [[kin, claim id, verdict], ...]}}``
    (:func:`library_state`).  Returns :data:`ALL` or a set of notebook paths:

    * the pins, the Python version, or any file other than a chapter's own
      module (``xentlib/course/chNN_*.py``) changed: :data:`ALL`.  The numerical
      library and the course machinery (claims, audit, exercises, explorers,
      registry) are used by every notebook;
    * only chapter modules changed: for each, its notebook ``chapters/NN_*.ipynb``,
      the errata page (it renders every claim), every notebook whose code names
      that module, and every chapter with a claim of a ``kin`` whose members in
      the changed module (their ids, verdicts and order) differ before and after
      the change: a claim box lists the id and verdict of its kin from other
      chapters (``audit.kin_line``, which reads nothing else of them).  Nothing
      else reads another chapter's items: a notebook shows only its own
      chapter's claims, exercises and explorers (``tests/test_course_layout.py``).
    """
    root = root or ROOT
    if not old or old.get("env") != new.get("env") or old.get("format") != new.get("format"):
        return ALL
    before, after = old.get("files", {}), new.get("files", {})
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    out: set[str] = set()
    books = notebooks(root)
    for path in changed:
        m = CHAPTER_MODULE.match(path)
        if not m:
            return ALL
        chapter = f"{m.group(1)}_{m.group(2)}"
        module = f"ch{chapter}"
        mine = f"chapters/{chapter}.ipynb"
        if mine not in books:
            return ALL  # a module without its notebook: let every notebook show what happens
        out |= {mine, ERRATA}
        before_kin, after_kin = old.get("kin", {}), new.get("kin", {})
        for other in books:
            name = other[len("chapters/"):-len(".ipynb")]
            if module in _mentions(root, other):
                out.add(other)
            kins = {k for k, *_ in before_kin.get(name, []) + after_kin.get(name, [])}
            for k in kins:
                was = [e[1:] for e in before_kin.get(chapter, []) if e[0] == k]
                now = [e[1:] for e in after_kin.get(chapter, []) if e[0] == k]
                if was != now:
                    out.add(other)
    return {p for p in out if p in books}


KIN_SCRIPT = """
import json, xentlib.course as c
kin = {}
for claim in c.audit.REGISTRY.values():
    if claim.kin:
        kin.setdefault(claim.chapter, []).append([claim.kin, claim.id, claim.verdict])
print(json.dumps(kin))
"""


def library_state(root: str | None = None, kin: bool = True) -> dict:
    """What the notebooks' outputs depend on outside the notebooks: the pins, the sources of
    xentlib, and (``kin``) which chapters share a claim ``kin`` (empty when xentlib.course does
    not import; a second or two, so only asked for when the sources changed)."""
    root = root or ROOT
    state = {"format": STATE_FORMAT, "env": _fingerprint(), "files": library_files(root)}
    if not kin:
        return state
    out = subprocess.run([PY, "-c", KIN_SCRIPT], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": root})
    try:
        kin = json.loads(out.stdout) if out.returncode == 0 else {}
    except ValueError:
        kin = {}
    return {**state, "kin": kin}


def _load_state() -> dict:
    try:
        with open(_state_path(), encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def _save_state(state: dict) -> None:
    state_path = _state_path()
    os.makedirs(os.path.dirname(state_path), exist_ok=True)
    with open(state_path + ".part", "w", encoding="utf-8") as fh:
        json.dump(state, fh, indent=1, sort_keys=True)
    os.replace(state_path + ".part", state_path)


def forget_executions(paths: set[str], root: str | None = None) -> None:
    """Make the next build execute ``paths`` again: drop their records from the execution
    cache (jupyter-cache keys a record by the cells' code, which did not change) and mark
    the notebook files as modified (Sphinx re-reads only files newer than its doctrees)."""
    root = root or ROOT
    cache_dir = os.path.join(root, "_build", ".jupyter_cache")
    if os.path.isdir(cache_dir) and paths:
        # jupyter-cache lives in .venv; this launcher runs under the machine's python3
        code = ("import os, sys\nfrom jupyter_cache import get_cache\n"
                "cache = get_cache(sys.argv[1])\nwanted = set(sys.argv[2:])\n"
                "for record in cache.list_cache_records():\n"
                "    if os.path.normpath(record.uri) in wanted:\n"
                "        cache.remove_cache(record.pk)\n")
        wanted = sorted({os.path.normpath(os.path.join(root, p)) for p in paths})
        subprocess.run([PY, "-c", code, cache_dir, *wanted], cwd=root, check=True, capture_output=True)
    now = time.time()
    for p in paths:
        os.utime(os.path.join(root, p), (now, now))


def _invalidate_when_library_changed() -> set[str] | str:
    """The build caches notebook outputs by the cells' code (jupyter-cache) and
    re-reads only notebooks whose file changed, so an edit of xentlib alone
    would leave the site showing the old numbers.  When xentlib or the pins
    changed since the last build, the notebooks that the change can affect
    (:func:`affected_notebooks`) are executed again: all of them (the execution
    cache and the doctrees are dropped: a clean build, about a minute) or, when
    only chapter modules changed, their chapters and the errata page."""
    new = library_state(kin=False)
    old = _load_state()
    if all(old.get(k) == new[k] for k in ("format", "env", "files")):
        return set()
    new = library_state()
    affected = affected_notebooks(old, new)
    if affected == ALL:
        if os.path.isdir(os.path.join(ROOT, "_build", ".jupyter_cache")):
            log("xentlib or the pinned packages changed: every notebook is executed again")
        for sub in (".jupyter_cache", ".doctrees", "jupyter_execute"):
            shutil.rmtree(os.path.join(ROOT, "_build", sub), ignore_errors=True)
    else:
        log("chapter modules changed: executing again " + ", ".join(sorted(affected)))
        forget_executions(set(affected))
    _save_state(new)
    return affected


def build(clean: bool = False) -> int:
    ensure_env()
    if clean:
        shutil.rmtree(os.path.join(ROOT, "_build"), ignore_errors=True)
    _invalidate_when_library_changed()
    start = time.perf_counter()
    # -W: warnings are errors; -n: nitpicky (broken references warn);
    # --keep-going: report every warning, then fail.
    rc = run([os.path.join(BIN, "jupyter-book"), "build", ROOT, "-W", "-n", "--keep-going"])
    secs = time.perf_counter() - start
    if rc == 0:
        log(f"site built in {secs:.1f} s: open {os.path.join(ROOT, '_build', 'html', 'index.html')}")
    else:
        log(f"BUILD FAILED after {secs:.1f} s (exit {rc})")
    return rc


#: The fast tests that concern one chapter (filtered to it by tools/check_select.py).
CHECK_TESTS = [
    "tests/test_chapters.py", "tests/test_figures.py", "tests/test_notebook_metadata.py",
    "tests/test_claims.py", "tests/test_verdicts.py", "tests/test_exercises.py", "tests/test_explorers.py",
    "tests/test_source_quotes.py", "tests/test_course_layout.py", "tests/test_claim_values.py",
    "tests/test_explorer_text.py", "tests/test_truth.py", "tests/test_teaching_share.py",
    "tests/test_glossary.py", "tests/test_errata_record.py", "tests/test_teachers_table.py",
    "tests/test_teachers_times.py",
    "tests/test_student_edition.py::test_solutions_start_collapsed_in_jupyter",
]
#: Whole-course tests that check_select cannot narrow and that cost more than they tell about one
#: chapter (`course.py test` runs them).
CHECK_SKIP = "not every_dataclass_field"
CHECK_DIR = os.path.join(ROOT, "_build", ".check")


def chapter_path(arg: str) -> str:
    """``"03"``, ``"3"``, ``"03_loss_and_gradient"`` or a path -> ``chapters/03_....ipynb``."""
    name = os.path.basename(arg).removesuffix(".ipynb")
    m = re.fullmatch(r"(\d{1,2})(_\w+)?", name)
    if not m:
        raise SystemExit(f"[course] check: chapter {arg!r} is not a chapter number (e.g. 03) or name")
    number = f"{int(m.group(1)):02d}"
    found = [p for p in notebooks() if os.path.basename(p).startswith(number + "_")]
    if len(found) != 1:
        raise SystemExit(f"[course] check: chapter {arg!r}: no notebook chapters/{number}_*.ipynb "
                         f"(there are {', '.join(os.path.basename(p)[:2] for p in notebooks())})")
    return found[0]


def _code_key(path: str) -> str:
    """What nbval strict depends on in a notebook: its code cells with their stored outputs
    (a markdown edit leaves it unchanged)."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as fh:
        nb = json.load(fh)
    cells = [[c["source"], c.get("outputs", [])] for c in nb["cells"] if c["cell_type"] == "code"]
    return hashlib.sha256(json.dumps(cells, sort_keys=True).encode()).hexdigest()


def _library_key() -> str:
    state = library_state(kin=False)
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def _stamp_path(path: str) -> str:
    return os.path.join(CHECK_DIR, os.path.basename(path) + ".json")


def _stamp_ok(path: str, library: str) -> bool:
    """Whether ``path`` passed nbval strict with this code, these outputs and this library."""
    try:
        with open(_stamp_path(path), encoding="utf-8") as fh:
            stamp = json.load(fh)
    except (OSError, ValueError):
        return False
    return stamp == {"code": _code_key(path), "library": library}


def _write_stamp(path: str, library: str) -> None:
    os.makedirs(CHECK_DIR, exist_ok=True)
    with open(_stamp_path(path), "w", encoding="utf-8") as fh:
        json.dump({"code": _code_key(path), "library": library}, fh)


def _cache_executed(paths: list[str]) -> None:
    """Store the notebooks just executed in the build's execution cache: the build then
    uses these outputs instead of executing the notebooks a second time."""
    code = ("import sys\nfrom jupyter_cache import get_cache\n"
            "cache = get_cache(sys.argv[1])\n"
            "for p in sys.argv[2:]:\n"
            "    cache.cache_notebook_file(p, uri=p, check_validity=False, overwrite=True)\n")
    subprocess.run([PY, "-c", code, os.path.join(ROOT, "_build", ".jupyter_cache"),
                    *(os.path.join(ROOT, p) for p in paths)], cwd=ROOT, check=True, capture_output=True)


def check(args: list[str]) -> int:
    """The one command after an edit to chapter NN (see the module docstring)."""
    full = "--full" in args
    rest = [a for a in args if a != "--full"]
    if len(rest) != 1:
        print("usage: python3 tools/course.py check NN [--full]   (NN: the chapter number, e.g. 03)",
              file=sys.stderr)
        return 2
    nb = chapter_path(rest[0])
    chapter = os.path.basename(nb).removesuffix(".ipynb")
    ensure_env()
    times: list[tuple[str, float]] = []
    done: list[str] = []

    def stage(name: str, fn) -> bool:
        t0 = time.perf_counter()
        ok = fn()
        times.append((name, time.perf_counter() - t0))
        return ok

    def failed(name: str, rerun: str) -> int:
        log(f"check {chapter[:2]}: FAILED at {name} (passed: {', '.join(done) or 'nothing'}) -- "
            f"fix it, then rerun `{rerun}`")
        _times(times)
        return 1

    start = time.perf_counter()
    # 1. the notebook conventions (collapsed solutions, canonical metadata)
    if not stage("conventions", lambda: run([PY, os.path.join("tools", "nbtool.py"), "conventions", nb]) == 0):
        return failed("conventions", f"python3 tools/nbtool.py conventions {nb}")
    # 2. execute what an edit can have changed: the chapter (its code or outputs changed, or
    #    xentlib), the notebooks the build state says a change of xentlib affects, the errata page
    library = _library_key()
    had_state = os.path.exists(_state_path())
    affected = _invalidate_when_library_changed()
    todo = [] if (_stamp_ok(nb, library) and not full) else [nb]
    if affected != ALL:
        todo += [p for p in sorted(affected) if p not in todo and p not in (nb, ERRATA)]
    if nb != ERRATA and (full or not _stamp_ok(ERRATA, library) or (affected == ALL or ERRATA in affected)):
        todo.append(ERRATA)
    if todo:
        cmd = [PY, os.path.join("tools", "nbtool.py"), "execute", *todo]
        if not stage("execute", lambda: run(cmd) == 0):
            return failed("execute", "python3 tools/course.py check " + chapter[:2])
        run([PY, os.path.join("tools", "nbtool.py"), "conventions", *todo])
        _cache_executed(todo)
        done.append("executed " + ", ".join(os.path.basename(p)[:2] for p in todo))
    else:
        done.append("code and library unchanged since the last passing check: not executed")
    # the teachers' times are derived from the notebooks: keep chapters/teachers.md current
    run([PY, os.path.join("tools", "reading_times.py"), "--write"])
    # 3. nbval strict on what was executed (on the chapter even if not: a markdown edit can
    #    break nothing nbval sees, so its stamp says it passed) and the chapter's fast tests
    nbval = todo if todo else []
    pytest = [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "check_select", "-m", "not site",
              "-k", CHECK_SKIP]
    if nbval:
        pytest += ["--nbval", "--nbval-sanitize-with", os.path.join("tests", "nbval_sanitize.cfg"), *nbval]
    pytest += CHECK_TESTS
    env = {"XENT_CHECK_CHAPTER": chapter, "PYTHONPATH": os.path.join(ROOT, "tools")}

    def shell(cmd: list[str]) -> str:  # the command line to rerun one stage, as typed in a shell
        return (f"XENT_CHECK_CHAPTER={chapter} PYTHONPATH=tools "
                + shlex.join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c for c in cmd))

    if not stage("nbval + tests", lambda: run(pytest, env=env) == 0):
        return failed("nbval + tests", shell(pytest))
    for p in nbval:
        _write_stamp(p, library)
    done.append(("nbval strict, " if nbval else "") + "fast tests")
    # 4. lint
    if not stage("lint", lambda: lint() == 0):
        return failed("lint", "python3 tools/course.py lint")
    done.append("lint")
    # 5. the site, incrementally (executes only notebooks not cached above)
    if not stage("site", lambda: build() == 0):
        return failed("site", "python3 tools/course.py build")
    # the tests of the built site that concern a chapter read its outputs (its figures, the
    # errata page's claim links): a markdown-only edit, which executed nothing, cannot change them
    site_tests = [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "check_select", "-m", "site",
                  "tests/test_claims.py", "tests/test_figures.py"]
    if todo and not stage("site tests", lambda: run(site_tests, env=env) == 0):
        return failed("site tests", shell(site_tests))
    done.append("site" + (" and its tests" if todo else ""))
    _times(times)
    changed = subprocess.run(["git", "status", "--porcelain", "--", "chapters", "xentlib"], cwd=ROOT,
                             capture_output=True, text=True).stdout.split("\n")
    files = [line[3:] for line in changed if line.strip()]
    also = ("; xentlib changed beyond chapter modules: re-execute the other chapters "
            "(`python3 tools/nbtool.py execute --all`)" if affected == ALL and had_state else "")
    log(f"check {chapter[:2]} OK in {time.perf_counter() - start:.0f} s: {'; '.join(done)} -- "
        f"commit {' '.join(files) if files else 'your change'}{also}; "
        f"run `python3 tools/course.py test` before pushing")
    return 0


def _times(times: list[tuple[str, float]]) -> None:
    log("stages: " + ", ".join(f"{name} {secs:.1f} s" for name, secs in times))


def lint() -> int:
    """The fast stage: ruff over the code and the notebooks' cells, mypy over xentlib (seconds)."""
    ensure_env()
    for cmd in ([PY, "-m", "ruff", "check", "."], [PY, "-m", "mypy"]):
        rc = run(cmd)
        if rc != 0:
            log(f"LINT FAILED: {' '.join(cmd[2:])} (exit {rc}); fix it before the slow stages")
            return rc
    return 0


def test(extra: list[str]) -> int:
    rc = lint()           # seconds: fail fast before the build and the slow tests
    if rc != 0:
        return rc
    rc = run([PY, os.path.join("tools", "dupes.py")])  # repeated code (pylint, ~30 s)
    if rc != 0:
        log("DUPES FAILED: share the repeated lines above in one function")
        return rc
    rc = build()
    if rc != 0:
        return rc
    cmd = [
        PY, "-m", "pytest",
        "--nbval", "--nbval-sanitize-with", os.path.join("tests", "nbval_sanitize.cfg"),
        "-p", "no:cacheprovider",
        "xentlib", "chapters", "tests",
    ]
    # The JupyterLab suite (tests/jupyterlab, issue 11) runs too: it starts JupyterLab on
    # loopback and drives every chapter in Chromium (about 4 min).
    cmd += extra
    return run(cmd)


def bench() -> int:
    ensure_env()
    return run([PY, os.path.join("benchmarks", "bench_build.py")])


def student(extra: list[str]) -> int:
    """Write the student edition (solutions removed, outputs cleared) to student/."""
    ensure_env()
    return run([PY, os.path.join("tools", "student_edition.py")] + extra)


LAB_CONFIG = os.path.join(VENV, "xent-lab-config")


def lab_env() -> dict[str, str]:
    """The environment of `course.py lab`: a Jupyter config dir of the course's own.

    ``.venv/xent-lab-config/custom/custom.css`` (tools/lab_css.py) carries the
    Chinese font; JupyterLab serves it from ``JUPYTER_CONFIG_DIR`` only, so that
    variable points there, and the user's own config dir is kept: it is put on
    ``JUPYTER_CONFIG_PATH`` (their server and lab config still load), their
    settings and workspaces stay where they were, and their own custom.css is
    appended to the course's."""
    out = subprocess.run([PY, "-c", "from jupyter_core.paths import jupyter_config_dir as d; print(d())"],
                         capture_output=True, text=True, check=True)
    user = out.stdout.strip()
    if run([PY, os.path.join("tools", "lab_css.py"), LAB_CONFIG]) != 0:
        sys.exit("[course] could not write the JupyterLab font CSS (see above)")
    user_css = os.path.join(user, "custom", "custom.css")
    if os.path.exists(user_css):
        with open(user_css, encoding="utf-8") as src, \
                open(os.path.join(LAB_CONFIG, "custom", "custom.css"), "a", encoding="utf-8") as dst:
            dst.write(f"\n/* {user_css} */\n" + src.read())
    path = os.pathsep.join(p for p in (user, os.environ.get("JUPYTER_CONFIG_PATH", "")) if p)
    return {
        "JUPYTER_CONFIG_DIR": LAB_CONFIG,
        "JUPYTER_CONFIG_PATH": path,
        "JUPYTERLAB_SETTINGS_DIR": os.environ.get("JUPYTERLAB_SETTINGS_DIR",
                                                  os.path.join(user, "lab", "user-settings")),
        "JUPYTERLAB_WORKSPACES_DIR": os.environ.get("JUPYTERLAB_WORKSPACES_DIR",
                                                    os.path.join(user, "lab", "workspaces")),
    }


def lab(extra: list[str]) -> int:
    """Start JupyterLab (pinned, with jupyterlab-myst) on chapters/; Ctrl+C stops it."""
    ensure_env()
    env = lab_env()
    folder = os.path.join(ROOT, "chapters")
    if extra and not extra[0].startswith("-") and os.path.isdir(extra[0]):
        folder, extra = os.path.abspath(extra[0]), extra[1:]  # `course.py lab student/`
    cmd = [os.path.join(BIN, "jupyter"), "lab", folder, "--LabApp.custom_css=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # JupyterLab refuses to start as root without it (containers, VMs)
    return run(cmd + extra, env=env)


def main(argv: list[str]) -> int:
    # This script runs under whatever python3 the machine has: say clearly when it is too old.
    if sys.version_info < (3, 11):  # noqa: UP036 (requires-python is for xentlib, not for this launcher)
        print(f"[course] Python 3.11 or newer is needed (the pinned numpy, scipy and matplotlib "
              f"require it); this is Python {sys.version.split()[0]}", file=sys.stderr)
        return 2
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "build":
        return build(clean="--clean" in rest)
    if cmd == "test":
        return test(rest)
    if cmd == "dupes":
        ensure_env()
        return run([PY, os.path.join("tools", "dupes.py")])
    if cmd == "lint":
        return lint()
    if cmd == "check":
        return check(rest)
    if cmd == "bench":
        return bench()
    if cmd == "student":
        return student(rest)
    if cmd == "lab":
        return lab(rest)
    if cmd in ("assign", "grade"):  # tools/assign.py, tools/grade.py (issue 18: grading a class)
        ensure_env()
        return run([PY, os.path.join("tools", f"{cmd}.py")] + rest, env={"XENT_CALLER_CWD": os.getcwd()})
    if cmd == "pdf":  # tools/pdf.py: singlehtml build printed by Chromium
        ensure_env()
        return run([PY, os.path.join("tools", "pdf.py")] + rest)
    if cmd == "env":
        ensure_env()
        log(f"environment ready: {VENV}")
        return 0
    print(f"unknown command {cmd!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
