"""Runs QualCoder's own REFI-QDA importer (qualcoder/refi.py) headless on a
.qdpx and prints, as JSON on its last line, what QualCoder made of it: its
cases, their attributes, its codes with their parent codes, and the text
coded at Knowledge and Barrier.

    python3 qualcoder_import.py QUALCODER_CHECKOUT PROJECT.qdpx

Only refi.py is QualCoder's; the Qt dialogs it would open, its colour and
message helpers and its application object are stood in for here, and its
database is made with the CREATE TABLE statements of QualCoder's own
__main__.py, read from the checkout.
"""
import builtins
import json
import pathlib
import re
import shutil
import sqlite3
import sys
import tempfile
import types

checkout, qdpx = pathlib.Path(sys.argv[1]), sys.argv[2]
src = next(p for p in [checkout / "src" / "qualcoder", checkout / "qualcoder", checkout] if (p / "refi.py").is_file())
builtins._ = lambda s: s


class Anything:
    """Whatever Qt object refi.py asks for: accepts every call."""

    def __init__(self, *a, **k):
        pass

    def __getattr__(self, name):
        return Anything()

    def __call__(self, *a, **k):
        return Anything()


class FileDialog:
    class Option:
        DontUseNativeDialog = 0

    @staticmethod
    def getOpenFileName(*a, **k):
        return (qdpx, True)


widgets = types.ModuleType("PyQt6.QtWidgets")
widgets.QFileDialog = FileDialog
for name in ["QProgressDialog", "QDialog", "QApplication", "QMessageBox"]:
    setattr(widgets, name, Anything)
core = types.ModuleType("PyQt6.QtCore")
core.Qt = Anything()
pyqt = types.ModuleType("PyQt6")
pyqt.QtWidgets, pyqt.QtCore = widgets, core
sys.modules.update({"PyQt6": pyqt, "PyQt6.QtWidgets": widgets, "PyQt6.QtCore": core})

work = pathlib.Path(tempfile.mkdtemp())
package = work / "qualcoder"
(package / "GUI").mkdir(parents=True)
shutil.copy(src / "refi.py", package / "refi.py")
(package / "__init__.py").write_text("")
(package / "GUI" / "__init__.py").write_text("")
(package / "GUI" / "ui_dialog_refi_export_endings.py").write_text("class Ui_Dialog_refi_export_line_endings:\n    pass\n")
(package / "color_selector.py").write_text("colors = ['#AAAAAA'] * 120\ndef color_matcher(c):\n    return c\n")
(package / "helpers.py").write_text(
    "class Message:\n    def __init__(self, app, title, text, icon=None):\n        print('QualCoder says:', title, text)\n    def exec(self):\n        return 0\n"
)
sys.path.insert(0, str(work))

conn = sqlite3.connect(":memory:")
main = (src / "__main__.py").read_text(encoding="utf-8")
for call in re.findall(r'cur\.execute\(\s*((?:"[^"]*"\s*)+)\)', main):
    sql = "".join(re.findall(r'"([^"]*)"', call))
    # The first definition of each table (later ones upgrade old projects).
    if sql.upper().startswith("CREATE TABLE"):
        try:
            conn.execute(sql)
        except sqlite3.OperationalError as e:
            if "already exists" not in str(e):
                raise


class App:
    def __init__(self):
        self.conn = conn
        self.settings = {"directory": str(work), "codername": "tester", "ai_enable": "False"}
        self.project_path = str(work / "project")
        self.project_events = None

    def __getattr__(self, name):
        return Anything()


class Log:
    def append(self, s):
        pass


(work / "project" / "documents").mkdir(parents=True)
from qualcoder.refi import RefiImport  # noqa: E402

RefiImport(App(), Log(), "qdpx")
c = conn.cursor()
codes = {cid: (name, sup) for cid, name, sup in c.execute("select cid, name, supercid from code_name")}
print(json.dumps({
    "cases": [r[0] for r in c.execute("select name from cases order by name")],
    "attributes": [list(r) for r in c.execute(
        "select cases.name, attribute.name, attribute.value from attribute join cases on cases.caseid = attribute.id "
        "where attribute.attr_type = 'case' order by cases.name, attribute.name")],
    "codes": {name: (codes[sup][0] if sup in codes else None) for name, sup in codes.values()},
    "case_text": {name: n for name, n in c.execute(
        "select cases.name, count(case_text.id) from cases left join case_text on case_text.caseid = cases.caseid "
        "group by cases.name order by cases.name")},
    # Each category with what is in it: its codes and its categories.
    "categories": {cat: sorted(
        [r[0] for r in conn.execute("select name from code_name where catid = ?", (catid,))]
        + [r[0] for r in conn.execute("select name from code_cat where supercatid = ?", (catid,))]
    ) for catid, cat in conn.execute("select catid, name from code_cat").fetchall()},
    "coded": [list(r) for r in c.execute(
        "select code_name.name, code_text.seltext from code_text join code_name on code_name.cid = code_text.cid "
        "where code_name.name in ('Knowledge', 'Barrier') order by code_name.name, code_text.pos0")],
}))
