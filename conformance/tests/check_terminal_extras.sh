#!/bin/bash
# check_terminal_extras.sh - what a developer at a terminal gets: colour on a
# terminal only, never with NO_COLOR; the man pages help2man made name every
# flag of `check`, `trace` and `audit`; bash completion completes commands,
# each command's flags and the bundled names.
# usage: check_terminal_extras.sh TDXABI COMPLETION MAN_DIR MUTANT_OBJECT
set -u
tool=$1 completion=$2 man_dir=$3 mutant=$4
failed=0
fail() { echo "FAIL: $*"; failed=1; }

# shellcheck source=/dev/null
source "$completion"
complete_words() { # prints what completing the words (the last one partial) offers
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
    COMP_WORDS[0]=$tool
    _tdxabi
    echo " ${COMPREPLY[*]} "
}
[[ $(complete_words tdxabi tr) == *" trace "* ]] || fail "no 'trace' for 'tdxabi tr'"
[[ $(complete_words tdxabi au) == *" audit "* ]] || fail "no 'audit' for 'tdxabi au'"
[[ $(complete_words tdxabi check --ba) == *" --baseline "* ]] || fail "no --baseline for check"
[[ $(complete_words tdxabi trace --va) == *" --variant "* ]] || fail "no --variant for trace"
[[ $(complete_words tdxabi trace --ba) != *" --baseline "* ]] || fail "trace offers check's --baseline"
[[ $(complete_words tdxabi check --binding edk2-) == *" edk2-tdcall "* ]] || fail "no bindings"
[[ $(complete_words tdxabi check --format s) == *" sarif "* ]] || fail "no formats"
[[ $(complete_words tdxabi check --faults v) == *" vmfailinvalid "* ]] || fail "no faults"
[[ $(complete_words tdxabi check --allow stack-) == *" stack-imbalance "* ]] || fail "no rules"

failing=("$tool" check --object "$mutant" --symbol tdxabi_mutant_forgets_r9 --binding linux-6.7-module-args-ret --quiet)
if command -v script >/dev/null; then
    on_terminal=$(NO_COLOR= script -qec "${failing[*]}" /dev/null)
    [[ $on_terminal == *$'\e[1;31mFAIL\e[0m'* ]] || fail "no colour on a terminal"
    without=$(NO_COLOR=1 script -qec "${failing[*]}" /dev/null)
    [[ $without != *$'\e'* && $without == *FAIL* ]] || fail "colour with NO_COLOR set"
else
    echo "no script(1) (bsdutils): colour on a terminal not checked"
fi
[[ $(NO_COLOR= "${failing[@]}") != *$'\e'* ]] || fail "colour on a pipe"

if [[ -f $man_dir/tdxabi.1 ]]; then
    for flag in --baseline --allow --report --quiet --format --variant; do
        grep -q -- "${flag//-/\\\\-}" "$man_dir/tdxabi-check.1" || fail "tdxabi-check.1 lacks $flag"
    done
    grep -q -- '\\-\\-leaf' "$man_dir/tdxabi-trace.1" || fail "tdxabi-trace.1 lacks --leaf"
    grep -q -- '\\-\\-object' "$man_dir/tdxabi-audit.1" || fail "tdxabi-audit.1 lacks --object"
    grep -q '^\.SH SYNOPSIS' "$man_dir/tdxabi-check.1" || fail "tdxabi-check.1 has no SYNOPSIS"
    grep -q 'trace' "$man_dir/tdxabi.1" || fail "tdxabi.1 does not name trace"
else
    echo "the man pages were not built (no help2man): only completion checked"
fi
[[ $failed == 0 ]] && echo "ok: colour, completion and man pages"
exit $failed
