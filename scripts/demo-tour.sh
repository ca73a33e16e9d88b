#!/bin/sh
# The demo: a fresh store of invented prisoners and one account per role, and a short walk.
# The walk runs the README's tour, command for command (tests/cli/test_tour.py checks they agree).
# Files it writes (decrypted exports, the exchange plan) go to demo/, which git ignores.
set -eu
powcase="$1"
# Print a command as it could be pasted back into a shell: arguments with spaces or quotes quoted.
q() { for a in "$@"; do case "$a" in *[!A-Za-z0-9_./:=+-]*|'') printf " '%s'" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")" ;; *) printf ' %s' "$a" ;; esac; done; }
run() { printf '\n$ powcase%s\n' "$(q "$@")"; "$powcase" "$@"; }
as() { role="$1"; shift; printf '\n$ POWCASE_TOKEN=$(cat demo/tokens/%s.token) powcase%s\n' "$role" "$(q "$@")"; POWCASE_TOKEN=$(cat "demo/tokens/$role.token") "$powcase" "$@"; }

"$powcase" demo --count 1000
printf '\nThe store is demo/powcase.db; its master key demo/powcase.key (keep them apart in real use).\n'
printf 'Every command runs as a named account; here, with the API tokens the demo wrote to demo/tokens/.\n'
export POWCASE_TOKEN="$(cat demo/tokens/demo-legal.token)"
run whoami
run context show
run list --nationality PRK
run show PW-DEMO-KOR1
run history PW-DEMO-KOR2
printf '\n# What the law says in March 2025 about the two soldiers:\n'
run determine PW-DEMO-KOR1 --as-of 2025-03-15
run determine PW-DEMO-KOR2 --as-of 2025-03-15 --format json
run determine --all --as-of 2025-06-10
run explain R16
run trace search "Пак Ын Чхоль" --born 2000-05-14
printf '\n# The duties on time (Art 70, 118, 120, 122) the demo was built to miss:\n'
as demo-registrar deadlines --overdue --as-of 2025-11-30
printf '\n# The counterpart asks for 43 people, the two soldiers among them (examples/exchange):\n'
run exchange plan examples/exchange/exchange.yaml --out demo/exchange
printf '\n$ head -4 demo/exchange/exclusions.csv\n'; head -4 demo/exchange/exclusions.csv
printf '\n# The guard refuses to record his exchange, with reasons:\n'
run record transfer PW-DEMO-KOR1 --on 2025-06-10 --set kind=exchange --set to_state=RUS || true
printf '\n# An interview that counts: private, in his language, a neutral observer present, every option\n# explained and he told he may change his mind (`powcase schema event interview` lists the fields):\n'
as demo-interviewer record interview PW-DEMO-KOR2 --on 2025-04-02 --set 'interviewer=Delegate 12' --set language=kor --set stated_wish=third_state --set wish_state=KOR --set 'present+={role: neutral_observer, organisation: ICRC}' --set informed_of_options=true --set informed_of_right_to_change=true --set understood=true
run disclose PW-DEMO-KOR1 --purpose central_agency --recipient "ICRC CTA" --recipient-kind neutral_intermediary --legal-basis "GC III Art 123" --field family_name -o demo/out.json
run export PW-DEMO-KOR1 --purpose casework -o demo/kor1.yaml
run export --all --format json -o demo/all.json
printf '\n# An auditor may not read identities; the refusal is logged:\n'
as demo-auditor show PW-DEMO-KOR1 || true
as demo-auditor audit verify
as demo-auditor audit checkpoint --out demo/checkpoint.json
as demo-auditor audit verify --against demo/checkpoint.json
as demo-auditor audit show --case PW-DEMO-KOR1
cat <<TOUR

Try next (export POWCASE_DATABASE_URL=sqlite:///demo/powcase.db POWCASE_TOKEN=\$(cat demo/tokens/demo-legal.token)):
  powcase list --nationality RUS --place "Camp West-2"
  powcase show PW-DEMO-KOR2 --as-of 2025-02-10 --format json
  powcase determine PW-DEMO-KOR1 --as-of 2025-01-20 --format json
  powcase determine --all --as-of 2025-06-10 --list D2=permitted
  powcase exchange execute demo/exchange/plan.json --on 2025-06-10 --reconfirmations demo/reconfirmations.csv
      # R23: no one goes without his private reconfirmation; the CSV has case_id,result,by
  powcase export PW-DEMO-KOR2 --purpose casework -o demo/kor2.yaml
  powcase schema event interview
  powcase document capture-card PW-DEMO-KOR1 --as-of 2025-11-30 --out demo/capture-card.pdf
      # Annex IV B, in Ukrainian and Korean
  powcase document notice PW-DEMO-KOR1 --lang ko --out demo/notice-ko.pdf   # his rights and options in Korean
  powcase cta-list --since 2025-01-01 --out demo/cta                       # Art 122 notices for the CTA
  powcase schema casefile
  powcase --help
TOUR
