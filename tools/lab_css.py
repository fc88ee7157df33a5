#!/usr/bin/env python3
"""JupyterLab's custom CSS for the course: the Chinese quotations in the course's own font.

    .venv/bin/python tools/lab_css.py CONFIG_DIR     # writes CONFIG_DIR/custom/custom.css

JupyterLab 4 started with ``--LabApp.custom_css=True`` serves
``<Jupyter config dir>/custom/custom.css`` on every page.  The file written here
holds an ``@font-face`` for "Course CJK": the Noto Sans SC font of the PyPI
package ``pylopdf-fonts-zh-cn`` (SIL Open Font License), subset with fontTools
to the CJK characters of ``chapters/*.ipynb`` (sources and stored outputs) and
embedded as a ``data:`` URI, so nothing is fetched.  ``unicode-range`` limits it
to CJK code points (the same ranges as the site, ``_ext/xent_assets.py``), and
it heads the font stacks of rendered text, code and of the claim boxes'
``[lang="zh"]`` quotations; Latin text keeps JupyterLab's fonts.
``tools/course.py lab`` and the JupyterLab tests call :func:`write_custom_css`.
"""
from __future__ import annotations

import base64
import io
import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FAMILY = "Course CJK"
#: The site's ranges (keep in step with _ext/xent_assets.CJK_RANGES).
CJK_RANGES = ((0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
              (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in CJK_RANGES)


def notebook_characters(folder: pathlib.Path = ROOT / "chapters") -> str:
    """Every CJK character in the notebooks of ``folder`` (sources and outputs), sorted."""
    chars: set[str] = set()
    for path in sorted(folder.glob("*.ipynb")):
        text = json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
        chars.update(ch for ch in text if is_cjk(ch))
    return "".join(sorted(chars))


def subset_font(text: str) -> bytes:
    """Noto Sans SC subset to ``text`` (WOFF, zlib)."""
    import pylopdf_fonts_zh_cn
    sys.path.insert(0, str(ROOT / "_ext"))
    from xent_assets import subset_font as write_subset

    source = os.path.join(os.path.dirname(pylopdf_fonts_zh_cn.__file__), "NotoSansSC-Regular.otf")
    buf = io.BytesIO()
    write_subset(source, text, buf)
    return buf.getvalue()


def custom_css(text: str) -> str:
    ranges = ", ".join(f"U+{lo:04X}-{hi:04X}" for lo, hi in CJK_RANGES)
    data = base64.b64encode(subset_font(text)).decode("ascii")
    return f"""/* Written by tools/lab_css.py (the course's JupyterLab set-up): do not edit.
   Noto Sans SC (SIL Open Font License), subset to the {len(text)} CJK characters of the chapters. */
@font-face {{
  font-family: "{FAMILY}";
  src: url(data:font/woff;base64,{data}) format("woff");
  unicode-range: {ranges};
  font-display: block;
}}
body {{
  --jp-content-font-family: "{FAMILY}", system-ui, -apple-system, blinkmacsystemfont, "Segoe UI",
    helvetica, arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol";
  --jp-ui-font-family: var(--jp-content-font-family);
  --jp-code-font-family: "{FAMILY}", var(--jp-code-font-family-default);
}}
[lang="zh"], [lang="zh"] * {{
  font-family: "{FAMILY}", var(--jp-content-font-family), sans-serif;
}}
"""


def write_custom_css(config_dir: os.PathLike | str, folder: pathlib.Path = ROOT / "chapters") -> pathlib.Path:
    """Write ``config_dir/custom/custom.css``; returns its path."""
    target = pathlib.Path(config_dir) / "custom" / "custom.css"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(custom_css(notebook_characters(folder)), encoding="utf-8")
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = write_custom_css(sys.argv[1])
    print(f"{path}: {path.stat().st_size // 1024} KiB")
