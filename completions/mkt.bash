#!/bin/bash

__mkt_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__mkt_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__mkt_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__mkt_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_mkt() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init|db|merchant|feed|import|catalog|search|suggest|inventory|locale|currency|pricing|orders|fraud|payment|report|events|ab|recs|ratings|serve|token|webhooks|push|help)
        # Offer subcommand argument completions
        "_mkt_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init db merchant feed import catalog search suggest inventory locale currency pricing orders fraud payment report events ab recs ratings serve token webhooks push help' -- "${cur}"))
        ;;
    esac
}

_mkt_init() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_db() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    info|check|backup)
        # Offer subcommand argument completions
        "_mkt_db_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'info check backup' -- "${cur}"))
        ;;
    esac
}

_mkt_db_info() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_db_check() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_db_backup() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    esac
}

_mkt_merchant() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|show|remove|import)
        # Offer subcommand argument completions
        "_mkt_merchant_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list show remove import' -- "${cur}"))
        ;;
    esac
}

_mkt_merchant_add() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --name --country --currency --prices --domain)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--name')
        return
        ;;
    '--country')
        return
        ;;
    '--currency')
        return
        ;;
    '--prices')
        return
        ;;
    '--domain')
        return
        ;;
    esac
}

_mkt_merchant_list() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_merchant_show() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_merchant_remove() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_merchant_import() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --mode --max-errors --errors --empty-means)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--mode')
        __mkt_add_completions -W 'upsert'$'\n''replace'$'\n''delete'
        return
        ;;
    '--max-errors')
        return
        ;;
    '--errors')
        return
        ;;
    '--empty-means')
        __mkt_add_completions -W 'keep'$'\n''clear'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -o plusdirs -fX '!*.@(csv)'
        return
        ;;
    esac
}

_mkt_feed() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    check|normalize|convert)
        # Offer subcommand argument completions
        "_mkt_feed_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'check normalize convert' -- "${cur}"))
        ;;
    esac
}

_mkt_feed_check() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --decimal-comma --include-drafts --update-golden --version -h --help)
    repeating_options=(--map)
    non_repeating_options=(--db --busy-timeout --format --delimiter --encoding --merchant --language --currency --shop-url --availability --max-findings --golden)
    __mkt_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--format')
        return
        ;;
    '--delimiter')
        return
        ;;
    '--encoding')
        return
        ;;
    '--map')
        return
        ;;
    '--merchant')
        return
        ;;
    '--language')
        return
        ;;
    '--currency')
        return
        ;;
    '--shop-url')
        return
        ;;
    '--availability')
        return
        ;;
    '--max-findings')
        return
        ;;
    '--golden')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_feed_normalize() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --decimal-comma --include-drafts --version -h --help)
    repeating_options=(--map)
    non_repeating_options=(--db --busy-timeout --format --delimiter --encoding --merchant --language --currency --shop-url --availability --output -o)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--format')
        return
        ;;
    '--delimiter')
        return
        ;;
    '--encoding')
        return
        ;;
    '--map')
        return
        ;;
    '--merchant')
        return
        ;;
    '--language')
        return
        ;;
    '--currency')
        return
        ;;
    '--shop-url')
        return
        ;;
    '--availability')
        return
        ;;
    '--output'|'-o')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_feed_convert() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --decimal-comma --include-drafts --version -h --help)
    repeating_options=(--map)
    non_repeating_options=(--db --busy-timeout --format --delimiter --encoding --merchant --language --currency --shop-url --availability --to --output -o)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--format')
        return
        ;;
    '--delimiter')
        return
        ;;
    '--encoding')
        return
        ;;
    '--map')
        return
        ;;
    '--merchant')
        return
        ;;
    '--language')
        return
        ;;
    '--currency')
        return
        ;;
    '--shop-url')
        return
        ;;
    '--availability')
        return
        ;;
    '--to')
        return
        ;;
    '--output'|'-o')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_import() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --decimal-comma --include-drafts --allow-absolute --create-merchants --version -h --help)
    repeating_options=(--map)
    non_repeating_options=(--db --busy-timeout --mode --max-errors --errors --empty-means --format --delimiter --encoding --merchant --language --currency --shop-url --availability --manifest --jobs --merchant-country --timeout --retries --max-bytes)
    __mkt_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--mode')
        __mkt_add_completions -W 'upsert'$'\n''replace'$'\n''delete'
        return
        ;;
    '--max-errors')
        return
        ;;
    '--errors')
        return
        ;;
    '--empty-means')
        __mkt_add_completions -W 'keep'$'\n''clear'
        return
        ;;
    '--format')
        return
        ;;
    '--delimiter')
        return
        ;;
    '--encoding')
        return
        ;;
    '--map')
        return
        ;;
    '--merchant')
        return
        ;;
    '--language')
        return
        ;;
    '--currency')
        return
        ;;
    '--shop-url')
        return
        ;;
    '--availability')
        return
        ;;
    '--manifest')
        __mkt_add_completions -f
        return
        ;;
    '--jobs')
        return
        ;;
    '--merchant-country')
        return
        ;;
    '--timeout')
        return
        ;;
    '--retries')
        return
        ;;
    '--max-bytes')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __mkt_add_completions -f
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    history)
        # Offer subcommand argument completions
        "_mkt_import_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'history' -- "${cur}"))
        ;;
    esac
}

_mkt_import_history() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant --limit)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_mkt_catalog() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|stats|export|translate)
        # Offer subcommand argument completions
        "_mkt_catalog_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show stats export translate' -- "${cur}"))
        ;;
    esac
}

_mkt_catalog_list() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant --limit)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_mkt_catalog_show() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    esac
}

_mkt_catalog_stats() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_catalog_export() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant --format --country --output -o)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '--format')
        return
        ;;
    '--country')
        return
        ;;
    '--output'|'-o')
        return
        ;;
    esac
}

_mkt_catalog_translate() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    import)
        # Offer subcommand argument completions
        "_mkt_catalog_translate_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'import' -- "${cur}"))
        ;;
    esac
}

_mkt_catalog_translate_import() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant --max-errors --errors)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '--max-errors')
        return
        ;;
    '--errors')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_search() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --in-stock --highlight --log --version -h --help)
    repeating_options=(--brand)
    non_repeating_options=(--db --busy-timeout --merchant --category --price-min --price-max --currency --min-rating --language --country --display-country --facets --sort --page --per-page --cursor --user --session)
    __mkt_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '--category')
        return
        ;;
    '--brand')
        return
        ;;
    '--price-min')
        return
        ;;
    '--price-max')
        return
        ;;
    '--currency')
        return
        ;;
    '--min-rating')
        return
        ;;
    '--language')
        return
        ;;
    '--country')
        return
        ;;
    '--display-country')
        return
        ;;
    '--facets')
        return
        ;;
    '--sort')
        __mkt_add_completions -W 'relevance'$'\n''price-asc'$'\n''price-desc'$'\n''newest'$'\n''rating'
        return
        ;;
    '--page')
        return
        ;;
    '--per-page')
        return
        ;;
    '--cursor')
        return
        ;;
    '--user')
        return
        ;;
    '--session')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    reindex|synonyms)
        # Offer subcommand argument completions
        "_mkt_search_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'reindex synonyms' -- "${cur}"))
        ;;
    esac
}

_mkt_search_reindex() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_search_synonyms() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    load)
        # Offer subcommand argument completions
        "_mkt_search_synonyms_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'load' -- "${cur}"))
        ;;
    esac
}

_mkt_search_synonyms_load() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --language)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--language')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_suggest() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --limit)
    __mkt_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_mkt_inventory() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    warehouse|sync|show|low|low-stock|reorder|export)
        # Offer subcommand argument completions
        "_mkt_inventory_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'warehouse sync show low low-stock reorder export' -- "${cur}"))
        ;;
    esac
}

_mkt_inventory_warehouse() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list)
        # Offer subcommand argument completions
        "_mkt_inventory_warehouse_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list' -- "${cur}"))
        ;;
    esac
}

_mkt_inventory_warehouse_add() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant --name --country --serves)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '--name')
        return
        ;;
    '--country')
        return
        ;;
    '--serves')
        return
        ;;
    esac
}

_mkt_inventory_warehouse_list() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    esac
}

_mkt_inventory_sync() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --version -h --help)
    repeating_options=(--location-map --map)
    non_repeating_options=(--db --busy-timeout --merchant --mode --sync-id --max-errors --errors --timeout --retries --max-bytes)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '--mode')
        __mkt_add_completions -W 'set'$'\n''delta'
        return
        ;;
    '--sync-id')
        return
        ;;
    '--max-errors')
        return
        ;;
    '--errors')
        return
        ;;
    '--location-map')
        return
        ;;
    '--map')
        return
        ;;
    '--timeout')
        return
        ;;
    '--retries')
        return
        ;;
    '--max-bytes')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_inventory_show() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    esac
}

_mkt_inventory_low() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant --below --limit)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '--below')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_mkt_inventory_low-stock() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --below)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--below')
        return
        ;;
    esac
}

_mkt_inventory_reorder() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --low --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant --horizon)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '--horizon')
        return
        ;;
    esac
}

_mkt_inventory_export() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant -o --output)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '-o'|'--output')
        return
        ;;
    esac
}

_mkt_locale() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    countries|show|format|import)
        # Offer subcommand argument completions
        "_mkt_locale_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'countries show format import' -- "${cur}"))
        ;;
    esac
}

_mkt_locale_countries() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --date)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_mkt_locale_show() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_locale_format() {
    repeating_flags=()
    non_repeating_flags=(--cash --number --version -h --help)
    repeating_options=()
    non_repeating_options=(--locale)
    __mkt_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--locale')
        return
        ;;
    esac
}

_mkt_locale_import() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_currency() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    import|rates|convert)
        # Offer subcommand argument completions
        "_mkt_currency_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'import rates convert' -- "${cur}"))
        ;;
    esac
}

_mkt_currency_import() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --timeout --retries --max-bytes)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--timeout')
        return
        ;;
    '--retries')
        return
        ;;
    '--max-bytes')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_currency_rates() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --date)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_mkt_currency_convert() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --date)
    __mkt_offer_flags_options 3

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_mkt_pricing() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    load|list|show|remove|quote|explain|simulate)
        # Offer subcommand argument completions
        "_mkt_pricing_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'load list show remove quote explain simulate' -- "${cur}"))
        ;;
    esac
}

_mkt_pricing_load() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_pricing_list() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_pricing_show() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_pricing_remove() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_pricing_quote() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=(--product --qty --code)
    non_repeating_options=(--db --busy-timeout --merchant --cart --country --currency --customer --group --shipping --at --locale)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--product')
        return
        ;;
    '--merchant')
        return
        ;;
    '--qty')
        return
        ;;
    '--cart')
        return
        ;;
    '--country')
        return
        ;;
    '--currency')
        return
        ;;
    '--code')
        return
        ;;
    '--customer')
        return
        ;;
    '--group')
        return
        ;;
    '--shipping')
        return
        ;;
    '--at')
        return
        ;;
    '--locale')
        return
        ;;
    esac
}

_mkt_pricing_explain() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=(--product --qty --code)
    non_repeating_options=(--db --busy-timeout --merchant --cart --country --currency --customer --group --shipping --at --locale)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--product')
        return
        ;;
    '--merchant')
        return
        ;;
    '--qty')
        return
        ;;
    '--cart')
        return
        ;;
    '--country')
        return
        ;;
    '--currency')
        return
        ;;
    '--code')
        return
        ;;
    '--customer')
        return
        ;;
    '--group')
        return
        ;;
    '--shipping')
        return
        ;;
    '--at')
        return
        ;;
    '--locale')
        return
        ;;
    esac
}

_mkt_pricing_simulate() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --sample --country --at)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--sample')
        return
        ;;
    '--country')
        return
        ;;
    '--at')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_orders() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    place|show|list|pay|cancel|fulfil|complete|refund|review|expire|export|policy)
        # Offer subcommand argument completions
        "_mkt_orders_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'place show list pay cancel fulfil complete refund review expire export policy' -- "${cur}"))
        ;;
    esac
}

_mkt_orders_place() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --gateway --concurrency)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--gateway')
        __mkt_add_completions -W 'approve'$'\n''decline'$'\n''fail'
        return
        ;;
    '--concurrency')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_orders_show() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_orders_list() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --status --merchant --customer --limit)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--status')
        return
        ;;
    '--merchant')
        return
        ;;
    '--customer')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_mkt_orders_pay() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --reference)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--reference')
        return
        ;;
    esac
}

_mkt_orders_cancel() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --note)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--note')
        return
        ;;
    esac
}

_mkt_orders_fulfil() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=(--line)
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--line')
        return
        ;;
    esac
}

_mkt_orders_complete() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_orders_refund() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --restock --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --amount)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--amount')
        return
        ;;
    esac
}

_mkt_orders_review() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    approve|reject)
        # Offer subcommand argument completions
        "_mkt_orders_review_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'approve reject' -- "${cur}"))
        ;;
    esac
}

_mkt_orders_review_approve() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --note)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--note')
        return
        ;;
    esac
}

_mkt_orders_review_reject() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --note)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--note')
        return
        ;;
    esac
}

_mkt_orders_expire() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --after)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--after')
        return
        ;;
    esac
}

_mkt_orders_export() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --format --layout --since --since-last --merchant --locale --output -o)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--format')
        return
        ;;
    '--layout')
        return
        ;;
    '--since')
        return
        ;;
    '--since-last')
        return
        ;;
    '--merchant')
        return
        ;;
    '--locale')
        return
        ;;
    '--output'|'-o')
        return
        ;;
    esac
}

_mkt_orders_policy() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --split-lines)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--split-lines')
        return
        ;;
    esac
}

_mkt_fraud() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    explain|review|rules|policy|refusals|label|train|backtest)
        # Offer subcommand argument completions
        "_mkt_fraud_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'explain review rules policy refusals label train backtest' -- "${cur}"))
        ;;
    esac
}

_mkt_fraud_explain() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_fraud_review() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|approve|reject)
        # Offer subcommand argument completions
        "_mkt_fraud_review_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list approve reject' -- "${cur}"))
        ;;
    esac
}

_mkt_fraud_review_list() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant --older-than --limit)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '--older-than')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_mkt_fraud_review_approve() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --note)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--note')
        return
        ;;
    esac
}

_mkt_fraud_review_reject() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --note)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--note')
        return
        ;;
    esac
}

_mkt_fraud_rules() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    load|show)
        # Offer subcommand argument completions
        "_mkt_fraud_rules_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'load show' -- "${cur}"))
        ;;
    esac
}

_mkt_fraud_rules_load() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_fraud_rules_show() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_fraud_policy() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --no-block --all --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --review --block)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--review')
        return
        ;;
    '--block')
        return
        ;;
    esac
}

_mkt_fraud_refusals() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant --limit)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_mkt_fraud_label() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    import)
        # Offer subcommand argument completions
        "_mkt_fraud_label_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'import' -- "${cur}"))
        ;;
    esac
}

_mkt_fraud_label_import() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --max-errors)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--max-errors')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_fraud_train() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --since --orders --out)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--since')
        return
        ;;
    '--orders')
        __mkt_add_completions -f
        return
        ;;
    '--out')
        return
        ;;
    esac
}

_mkt_fraud_backtest() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --since --orders --rules --model --review --block --decisions)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--since')
        return
        ;;
    '--orders')
        __mkt_add_completions -f
        return
        ;;
    '--rules')
        __mkt_add_completions -f
        return
        ;;
    '--model')
        return
        ;;
    '--review')
        return
        ;;
    '--block')
        return
        ;;
    '--decisions')
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_payment() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    methods|enable|disable|confirm)
        # Offer subcommand argument completions
        "_mkt_payment_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'methods enable disable confirm' -- "${cur}"))
        ;;
    esac
}

_mkt_payment_methods() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --country --merchant --amount)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--country')
        return
        ;;
    '--merchant')
        return
        ;;
    '--amount')
        return
        ;;
    esac
}

_mkt_payment_enable() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_payment_disable() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_payment_confirm() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --reference)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--reference')
        return
        ;;
    esac
}

_mkt_report() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    sales|overview|traffic|funnel|conversion|revenue|products|search|anomalies|insights)
        # Offer subcommand argument completions
        "_mkt_report_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'sales overview traffic funnel conversion revenue products search anomalies insights' -- "${cur}"))
        ;;
    esac
}

_mkt_report_sales() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --by --from --to --currency --merchant)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--by')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--currency')
        return
        ;;
    '--merchant')
        return
        ;;
    esac
}

_mkt_report_overview() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --by --from --to --merchant --country --channel --currency --html)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--by')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--merchant')
        return
        ;;
    '--country')
        return
        ;;
    '--channel')
        return
        ;;
    '--currency')
        return
        ;;
    '--html')
        return
        ;;
    esac
}

_mkt_report_traffic() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --by --from --to --merchant --country --channel --currency)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--by')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--merchant')
        return
        ;;
    '--country')
        return
        ;;
    '--channel')
        return
        ;;
    '--currency')
        return
        ;;
    esac
}

_mkt_report_funnel() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --from --to --merchant --country --channel --currency --html)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--merchant')
        return
        ;;
    '--country')
        return
        ;;
    '--channel')
        return
        ;;
    '--currency')
        return
        ;;
    '--html')
        return
        ;;
    esac
}

_mkt_report_conversion() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --by --from --to --merchant --country --channel --currency)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--by')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--merchant')
        return
        ;;
    '--country')
        return
        ;;
    '--channel')
        return
        ;;
    '--currency')
        return
        ;;
    esac
}

_mkt_report_revenue() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --by --from --to --merchant --country --channel --currency --html)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--by')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--merchant')
        return
        ;;
    '--country')
        return
        ;;
    '--channel')
        return
        ;;
    '--currency')
        return
        ;;
    '--html')
        return
        ;;
    esac
}

_mkt_report_products() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --worst --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --top --by --from --to --merchant --country --channel --currency --html)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--top')
        return
        ;;
    '--by')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--merchant')
        return
        ;;
    '--country')
        return
        ;;
    '--channel')
        return
        ;;
    '--currency')
        return
        ;;
    '--html')
        return
        ;;
    esac
}

_mkt_report_search() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --zero-results --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --top --from --to --merchant --country --channel --currency --html)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--top')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--merchant')
        return
        ;;
    '--country')
        return
        ;;
    '--channel')
        return
        ;;
    '--currency')
        return
        ;;
    '--html')
        return
        ;;
    esac
}

_mkt_report_anomalies() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --metric --since --threshold --from --to --merchant --country --channel --currency --html)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--metric')
        return
        ;;
    '--since')
        return
        ;;
    '--threshold')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--merchant')
        return
        ;;
    '--country')
        return
        ;;
    '--channel')
        return
        ;;
    '--currency')
        return
        ;;
    '--html')
        return
        ;;
    esac
}

_mkt_report_insights() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --since)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--since')
        return
        ;;
    esac
}

_mkt_events() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    ingest|stats|rollup)
        # Offer subcommand argument completions
        "_mkt_events_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'ingest stats rollup' -- "${cur}"))
        ;;
    esac
}

_mkt_events_ingest() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --max-errors --errors --keep-raw --follow --timeout --retries --max-bytes)
    __mkt_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--max-errors')
        return
        ;;
    '--errors')
        return
        ;;
    '--keep-raw')
        return
        ;;
    '--follow')
        __mkt_add_completions -d
        return
        ;;
    '--timeout')
        return
        ;;
    '--retries')
        return
        ;;
    '--max-bytes')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_events_stats() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_events_rollup() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --rebuild --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --from)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--from')
        return
        ;;
    esac
}

_mkt_ab() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|list|assign|report)
        # Offer subcommand argument completions
        "_mkt_ab_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create list assign report' -- "${cur}"))
        ;;
    esac
}

_mkt_ab_create() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --variants --split --metric --min-effect --baseline)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--variants')
        return
        ;;
    '--split')
        return
        ;;
    '--metric')
        return
        ;;
    '--min-effect')
        return
        ;;
    '--baseline')
        return
        ;;
    esac
}

_mkt_ab_list() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_ab_assign() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_ab_report() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_recs() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    train|for-user|similar|cart|trending|evaluate|tune|weights)
        # Offer subcommand argument completions
        "_mkt_recs_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'train for-user similar cart trending evaluate tune weights' -- "${cur}"))
        ;;
    esac
}

_mkt_recs_train() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --full --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --since)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--since')
        return
        ;;
    esac
}

_mkt_recs_for-user() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --include-out-of-stock --explain --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout -n --n --country --merchant --per-category --strategy --experiment)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '-n'|'--n')
        return
        ;;
    '--country')
        return
        ;;
    '--merchant')
        return
        ;;
    '--per-category')
        return
        ;;
    '--strategy')
        return
        ;;
    '--experiment')
        return
        ;;
    esac
}

_mkt_recs_similar() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --include-out-of-stock --complements --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout -n --n --country --merchant)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '-n'|'--n')
        return
        ;;
    '--country')
        return
        ;;
    '--merchant')
        return
        ;;
    esac
}

_mkt_recs_cart() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --include-out-of-stock --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout -n --n --country --merchant)
    __mkt_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '-n'|'--n')
        return
        ;;
    '--country')
        return
        ;;
    '--merchant')
        return
        ;;
    esac
}

_mkt_recs_trending() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --include-out-of-stock --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --category -n --n --country --merchant)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--category')
        return
        ;;
    '-n'|'--n')
        return
        ;;
    '--country')
        return
        ;;
    '--merchant')
        return
        ;;
    esac
}

_mkt_recs_evaluate() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --search --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --holdout-days --k --per-category)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--holdout-days')
        return
        ;;
    '--k')
        return
        ;;
    '--per-category')
        return
        ;;
    esac
}

_mkt_recs_tune() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --holdout-days)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--holdout-days')
        return
        ;;
    esac
}

_mkt_recs_weights() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    show|set|reset)
        # Offer subcommand argument completions
        "_mkt_recs_weights_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'show set reset' -- "${cur}"))
        ;;
    esac
}

_mkt_recs_weights_show() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --experiment --variant)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--experiment')
        return
        ;;
    '--variant')
        return
        ;;
    esac
}

_mkt_recs_weights_set() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --experiment --variant)
    __mkt_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--experiment')
        return
        ;;
    '--variant')
        return
        ;;
    esac
}

_mkt_recs_weights_reset() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --experiment --variant)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--experiment')
        return
        ;;
    '--variant')
        return
        ;;
    esac
}

_mkt_ratings() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    import|show)
        # Offer subcommand argument completions
        "_mkt_ratings_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'import show' -- "${cur}"))
        ;;
    esac
}

_mkt_ratings_import() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --max-errors --errors)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--max-errors')
        return
        ;;
    '--errors')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mkt_add_completions -f
        return
        ;;
    esac
}

_mkt_ratings_show() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    esac
}

_mkt_serve() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --host --port --rate-limit --max-body --max-upload --idle-timeout --header-timeout --shutdown-deadline --tls-cert --tls-key --log-level)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--rate-limit')
        return
        ;;
    '--max-body')
        return
        ;;
    '--max-upload')
        return
        ;;
    '--idle-timeout')
        return
        ;;
    '--header-timeout')
        return
        ;;
    '--shutdown-deadline')
        return
        ;;
    '--tls-cert')
        return
        ;;
    '--tls-key')
        return
        ;;
    '--log-level')
        return
        ;;
    esac
}

_mkt_token() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|list|revoke)
        # Offer subcommand argument completions
        "_mkt_token_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create list revoke' -- "${cur}"))
        ;;
    esac
}

_mkt_token_create() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --all-merchants --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant --scopes --expires --name)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    '--scopes')
        return
        ;;
    '--expires')
        return
        ;;
    '--name')
        return
        ;;
    esac
}

_mkt_token_list() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    esac
}

_mkt_token_revoke() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_webhooks() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|remove|deliver|failed|replay)
        # Offer subcommand argument completions
        "_mkt_webhooks_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list remove deliver failed replay' -- "${cur}"))
        ;;
    esac
}

_mkt_webhooks_add() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --events --secret)
    __mkt_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--events')
        return
        ;;
    '--secret')
        return
        ;;
    esac
}

_mkt_webhooks_list() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    esac
}

_mkt_webhooks_remove() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_webhooks_deliver() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --once --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --timeout)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--timeout')
        return
        ;;
    esac
}

_mkt_webhooks_failed() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --text --json --jsonl --csv --tsv --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --merchant)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--merchant')
        return
        ;;
    esac
}

_mkt_webhooks_replay() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --endpoint)
    __mkt_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--endpoint')
        return
        ;;
    esac
}

_mkt_push() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --dry-run --allow-deletes --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout --to --token --merchant --what --batch-size --timeout --cacert)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    '--to')
        return
        ;;
    '--token')
        return
        ;;
    '--merchant')
        return
        ;;
    '--what')
        return
        ;;
    '--batch-size')
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    status)
        # Offer subcommand argument completions
        "_mkt_push_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'status' -- "${cur}"))
        ;;
    esac
}

_mkt_push_status() {
    repeating_flags=()
    non_repeating_flags=(-q --quiet --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db --busy-timeout)
    __mkt_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        __mkt_add_completions -o plusdirs -fX '!*.@(db)'
        return
        ;;
    '--busy-timeout')
        return
        ;;
    esac
}

_mkt_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __mkt_offer_flags_options -1
}

complete -o filenames -F _mkt mkt
