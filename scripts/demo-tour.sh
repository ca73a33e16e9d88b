#!/bin/sh
# The demo: a fresh store of invented prisoners and one account per role, and a short walk.
set -eu
powcase="$1"
run() { printf '\n$ powcase %s\n' "$*"; "$powcase" "$@"; }
as() { role="$1"; shift; printf '\n$ POWCASE_TOKEN=$(cat demo/tokens/%s.token) powcase %s\n' "$role" "$*"; POWCASE_TOKEN=$(cat "demo/tokens/$role.token") "$powcase" "$@"; }

"$powcase" demo --count 1000
printf '\nThe store is demo/powcase.db; its master key demo/powcase.key (keep them apart in real use).\n'
printf 'Every command runs as a named account; here, with the API tokens the demo wrote to demo/tokens/.\n'
export POWCASE_TOKEN="$(cat demo/tokens/demo-legal.token)"
run whoami
run list --nationality PRK --status interned
run show PW-DEMO-KOR1
as demo-registrar history PW-DEMO-KOR2
printf '\n# An auditor may not read identities; the refusal is logged:\n'
as demo-auditor show PW-DEMO-KOR1 || true
as demo-auditor audit verify
run trace search "Пак Ын Чхоль" --born 2000-05-14
printf '\n# What the law says in March 2025 about the two soldiers:\n'
run determine PW-DEMO-KOR1 --as-of 2025-03-15
run determine PW-DEMO-KOR2 --as-of 2025-03-15
run determine --all --as-of 2025-03-15
run explain R16
printf '\n# The duties on time (Art 70, 118, 120, 122) the demo was built to miss:\n'
as demo-registrar deadlines --overdue --as-of 2025-11-30
printf '\n# The counterpart asks for 43 people, the two soldiers among them (examples/exchange):\n'
run exchange plan examples/exchange/exchange.yaml --out demo/exchange
printf '\n$ head -4 demo/exchange/exclusions.csv\n'; head -4 demo/exchange/exclusions.csv
printf '\n# The guard refuses to record his exchange, with reasons:\n'
run record transfer PW-DEMO-KOR1 --on 2025-06-10 --set kind=exchange --set to_state=RUS || true
as demo-auditor audit show --case PW-DEMO-KOR1
cat <<TOUR

Try next (export POWCASE_DATABASE_URL=sqlite:///demo/powcase.db POWCASE_TOKEN=\$(cat demo/tokens/demo-legal.token)):
  powcase list --nationality RUS --place "Camp West-2"
  powcase show PW-DEMO-KOR2 --as-of 2025-02-10 --format json
  powcase determine PW-DEMO-KOR1 --as-of 2025-01-20 --format json
  powcase exchange execute demo/exchange/plan.json --on 2025-06-10   # R23: no one goes without reconfirmation
  powcase disclose PW-DEMO-KOR1 --purpose central_agency --recipient "ICRC CTA" \\
      --recipient-kind neutral_intermediary --legal-basis "GC III Art 123" --field family_name -o out.json
  powcase export PW-DEMO-KOR1 -o kor1.yaml
  powcase document capture-card PW-DEMO-KOR1 --as-of 2025-11-30   # Annex IV B, Ukrainian and Korean
  powcase document notice PW-DEMO-KOR1 --lang ko                   # his rights and options in Korean
  powcase cta-list --since 2025-01-01 --out cta                    # Art 122 notices for the CTA
  powcase schema casefile
  powcase --help
TOUR
