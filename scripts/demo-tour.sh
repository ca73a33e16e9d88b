#!/bin/sh
# The demo: a fresh store of invented prisoners, and a short walk through it.
set -eu
powcase="$1"
run() { printf '\n$ powcase %s\n' "$*"; "$powcase" "$@"; }

"$powcase" demo --count 1000
printf '\nThe store is demo/powcase.db; its master key is demo/powcase.key (keep them apart in real use).\n'
run list --nationality PRK --status interned
run show PW-DEMO-KOR1
run history PW-DEMO-KOR2
run audit verify
run trace search "Пак Ын Чхоль" --born 2000-05-14
printf '\n# What the law says in March 2025 about the two soldiers:\n'
run determine PW-DEMO-KOR1 --as-of 2025-03-15
run determine PW-DEMO-KOR2 --as-of 2025-03-15
run determine --all --as-of 2025-03-15
run explain R16
printf '\n# The counterpart asks for 43 people, the two soldiers among them (examples/exchange):\n'
run exchange plan examples/exchange/exchange.yaml --out demo/exchange
printf '\n$ head -4 demo/exchange/exclusions.csv\n'; head -4 demo/exchange/exclusions.csv
cat <<TOUR

Try next (with POWCASE_DATABASE_URL=sqlite:///demo/powcase.db, or --database):
  powcase list --nationality RUS --place "Camp West-2"
  powcase show PW-DEMO-KOR2 --as-of 2025-02-10 --format json
  powcase record interview PW-DEMO-KOR2 --on 2025-04-02 --set interviewer="Delegate 12" \\
      --set language=kor --set stated_wish=third_state --set wish_state=KOR
  powcase export PW-DEMO-KOR1 -o kor1.yaml
  powcase determine PW-DEMO-KOR1 --as-of 2025-01-20 --format json
  powcase record transfer PW-DEMO-KOR1 --set kind=exchange --set to_state=RUS   # refused: the guard
  powcase exchange execute demo/exchange/plan.json --on 2025-06-10   # R23: every man refused without reconfirmation
  powcase schema casefile
  powcase --help
TOUR
