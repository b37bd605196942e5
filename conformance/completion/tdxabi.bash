# tdxabi.bash - bash completion for tdxabi: commands, each command's flags
# (read from its --help, so they never drift), and the values a flag takes
# (bindings, specs, leaves and faults from `tdxabi list`, formats, files).
_tdxabi_names()
{
    # the bundled names `tdxabi list KIND` prints, one per entry
    case $2 in
        bindings) "$1" list bindings 2>/dev/null | awk '/^[^ ]/ { print $1 }' ;;
        specs) "$1" list specs 2>/dev/null | awk '/^[^ ]/ { sub(":", "", $1); print $1 }' ;;
        leaves) "$1" list leaves 2>/dev/null | awk '$1 == "tdcall" || $1 == "seamcall" { print $3 }' ;;
        faults) "$1" list faults 2>/dev/null | awk '/^[^ ]/ { print $1 }' ;;
        rules) "$1" list rules 2>/dev/null | awk '/^[^ ]/ { print $1 }' ;;
    esac
}

_tdxabi()
{
    local current=${COMP_WORDS[COMP_CWORD]} previous=${COMP_WORDS[COMP_CWORD-1]}
    local tool=${COMP_WORDS[0]} command=${COMP_WORDS[1]}
    COMPREPLY=()
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W "check trace audit bench list spec-lint spec-diff --help --version" -- "$current"))
        return
    fi
    case $previous in
        --object|--output|--baseline|--write-baseline|--binding|--spec)
            local names=""
            [[ $previous == --binding ]] && names=$(_tdxabi_names "$tool" bindings)
            [[ $previous == --spec ]] && names=$(_tdxabi_names "$tool" specs)
            COMPREPLY=($(compgen -W "$names" -- "$current") $(compgen -f -- "$current"))
            return ;;
        --linux|--cache|--shims|--kbuild-output)
            COMPREPLY=($(compgen -d -- "$current"))
            return ;;
        --leaf)
            COMPREPLY=($(compgen -W "all $(_tdxabi_names "$tool" leaves)" -- "$current"))
            return ;;
        --faults|--fault)
            COMPREPLY=($(compgen -W "all none $(_tdxabi_names "$tool" faults)" -- "$current"))
            return ;;
        --allow)
            COMPREPLY=($(compgen -W "$(_tdxabi_names "$tool" rules)" -- "$current"))
            return ;;
        --format)
            local formats="text json junit sarif ktap"
            [[ $command == audit ]] && formats="text json sarif"
            COMPREPLY=($(compgen -W "$formats" -- "$current"))
            return ;;
        --td-config)
            COMPREPLY=($(compgen -W "no-rbp-mod none all" -- "$current"))
            return ;;
    esac
    if [[ $command == list && $COMP_CWORD -eq 2 ]]; then
        COMPREPLY=($(compgen -W "bindings abis specs leaves faults rules" -- "$current"))
        return
    fi
    if [[ $current == -* ]]; then
        local flags
        flags=$("$tool" "$command" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
        COMPREPLY=($(compgen -W "$flags" -- "$current"))
    fi
}
complete -F _tdxabi tdxabi
