"""Fill new translations into the four catalogs, keeping each file's header (run with the venv)."""
import subprocess, sys, json
from babel.messages.pofile import read_po, write_po

T = json.load(open(sys.argv[1]))  # {msgid: {"ko":..., "uk":..., "ru":...}}
for lang in ("en", "ko", "uk", "ru"):
    path = f"src/powcase/locale/{lang}/LC_MESSAGES/messages.po"
    old = subprocess.run(["git", "show", f"HEAD:{path}"], capture_output=True, text=True).stdout
    header = old.split("\nmsgid \"\"\nmsgstr \"\"\n", 1)
    with open(path, "rb") as fh:
        po = read_po(fh, locale=lang)
    for m in po:
        if m.id and not m.string:
            if lang == "en":
                m.string = m.id
            elif m.id in T:
                m.string = T[m.id][lang]
    with open(path, "wb") as fh:
        write_po(fh, po, width=100, omit_header=True, sort_output=True)
    body = open(path, encoding="utf-8").read()
    if old.startswith("#") and not body.startswith("#"):
        # keep the header block exactly as it was
        head_end = old.index("\n\n") + 2 if "\n\n" in old else 0
        first_msg = old.find('msgid "', old.find('msgstr ""') + 1)
        head = old[:first_msg]
        body = head + body
        open(path, "w", encoding="utf-8").write(body)
